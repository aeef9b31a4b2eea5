// The RELEASE paper's chaos experiment on ACO (MONKEY_MS set): every
// MONKEY_MS a random process of the tree below the top supervisor (a colony
// supervisor, a colony, an ant) is killed. The run must still complete:
// supervisors restart what was killed, and the master asks a restarted
// colony for its round again. The choice of victim follows the seed; what
// it hits, and so the result, depends on timing.
import { TIMEOUT, exit, receive, send, whereis, type Pid } from 'mote';
import { antName, colonyName } from './colony.ts';
import { colonySupName } from './tree.ts';
import { mixSeed, rng } from './rng.ts';

const STOP = { type: 'stop_monkey' };

export async function monkey(colonies: number, ants: number, everyMs: number, seed: number, report: Pid): Promise<void> {
  const rand = rng(mixSeed(seed, 0x4d4b));
  const names: string[] = [];
  for (let c = 0; c < colonies; c++) {
    names.push(colonySupName(c), colonyName(c));
    for (let a = 0; a < ants; a++) names.push(antName(c, a));
  }
  let kills = 0;
  while ((await receive(STOP, { after: everyMs })) === TIMEOUT) {
    const pid = whereis(names[Math.floor(rand() * names.length)]);
    if (pid) exit(pid, 'kill'), kills++; // else it is being restarted: a miss
  }
  send(report, { type: 'monkey_kills', kills });
}

export const stopMonkey = (pid: Pid) => send(pid, STOP);
