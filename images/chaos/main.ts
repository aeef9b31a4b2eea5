// A supervised key-value service under a chaos monkey (the RELEASE paper's
// reliability experiment): gen_server workers and a table under
// supervisors, clients inside the image calling flat out, and a monkey
// killing a random process at every level of the tree at a fixed rate. It
// reports requests, kills and restarts by level, and checks that no
// acknowledged write was lost.
//
//   mote build images/chaos -o chaos.img && mote run chaos.img -m 8M -e RATE=50
//   mote run chaos.img -m 8M -e PORT=7000 -e DURATION_MS=60000 -p 7000:7000
//   then: printf 'PUT k v\nGET k\n' | nc 127.0.0.1 7000   (front.ts)
// (DURATION_MS, RATE, CLIENTS, KEYS, WORKERS, POOLS, INTENSITY, PERIOD_MS,
// SEED, LOG, PORT; defaults in package.json).
import { paramsFromEnv } from './params.ts';
import { runMain } from './run.ts';

runMain(paramsFromEnv());
