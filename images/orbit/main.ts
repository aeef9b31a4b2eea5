// The RELEASE project's Orbit benchmark on generators g124: the orbit of 0
// in [0..N), sequentially and by P workers sharing a hash table.
//
//   mote build images/orbit -o orbit.img && mote run orbit.img -m 8M -- 2000 4
//   mote boot orbit.img -m 8M -e N=5000 -e VERSIONS=parallel
// (defaults: package.json's "mote.env").
import { configure } from 'mote';
import { paramsFromCommandLine, runMain } from './run.ts';

// The runaway guard counts wall time, and a value's images can take 0.3 s
// under TCG: a loaded machine must not make a worker look like a runaway.
configure({ runawayMs: 15_000 });
runMain(paramsFromCommandLine());
