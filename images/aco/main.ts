// Ant Colony Optimisation on the Single Machine Total Weighted Tardiness
// Problem, as the RELEASE paper's: colonies of ant processes under
// supervisors, a master combining their best schedules over rounds. Reads
// an instance of OR-Library wt40 data (data/wt40.txt); deterministic for a seed.
//
//   mote build images/aco -o aco.img && mote run aco.img -m 8M -e SEED=7 -e ROUNDS=10
//   mote run aco.img -m 8M -e MONKEY_MS=50    (the paper's chaos monkey on ACO)
// (INSTANCE, COLONIES, ANTS, ITERATIONS, ROUNDS, SEED, MONKEY_MS; defaults in package.json).
/// <reference path="./text.d.ts" />
import { configure } from 'mote';
import data from './data/wt40.txt';
import { paramsFromEnv, runMain } from './run.ts';

// The runaway guard counts wall time: a loaded machine under TCG must not
// make an ant look like a runaway.
configure({ runawayMs: 15_000 });
runMain(data, 40, paramsFromEnv());
