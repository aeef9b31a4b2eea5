// A colony: NA ant processes and the colony process that keeps the trail.
// Per round the master sends the best schedule found so far (none at
// first); the colony lays it on the trail, runs its iterations (every ant
// builds a schedule from a copy of the trail, with a stream seeded by its
// place in the run), lays its own best after each, and answers with it.
// Ants' results are taken in ant order, so the outcome does not depend on
// the order the processes ran in.
import { exit, receive, register, self, send, spawnLink, whereis, type Pid } from 'mote';
import { construct, type AcsParams } from './ant.ts';
import { mixSeed, rng } from './rng.ts';
import { tardiness, type Instance } from './wt.ts';

export interface ColonyConfig {
  inst: Instance;
  acs: AcsParams;
  ants: number;
  iterations: number;
  seed: number;
}

export interface Best {
  cost: number;
  order: number[];
}

type Build = { type: 'build'; tau: number[]; seed: number; from: Pid; key: number[] };
export type Round = { type: 'round'; round: number; best: Best | null; from: Pid };

export const antName = (c: number, a: number) => `aco.ant.${c}.${a}`;
export const colonyName = (c: number) => `aco.colony.${c}`;

/** An ant process: builds a schedule per request. */
export function startAnt(inst: Instance, acs: AcsParams, c: number, a: number): Pid {
  const pid = spawnLink(async () => {
    for (;;) {
      const m = await receive<Build>({ type: 'build' });
      const order = construct(inst, m.tau, rng(m.seed), acs);
      send(m.from, { type: 'built', key: m.key, ant: a, cost: tardiness(inst, order), order });
    }
  });
  register(antName(c, a), pid);
  return pid;
}

/** Lays `best` on the trail (ACS's global update: only the best's positions). */
function lay(tau: number[], n: number, best: Best, rho: number): void {
  best.order.forEach((j, pos) => {
    tau[pos * n + j] = (1 - rho) * tau[pos * n + j] + rho / Math.max(best.cost, 1);
  });
}

export function startColony(cfg: ColonyConfig, c: number): Pid {
  const pid = spawnLink(async () => {
    const n = cfg.inst.p.length;
    const tau = new Array<number>(n * n).fill(cfg.acs.tau0);
    let mine: Best | null = null;
    for (;;) {
      const m = await receive<Round>({ type: 'round' });
      if (m.best) lay(tau, n, m.best, cfg.acs.rho);
      for (let it = 0; it < cfg.iterations; it++) {
        const key = [m.round, it];
        for (let a = 0; a < cfg.ants; a++) {
          // An ant killed (the monkey) takes its colony down with it (one_for_all):
          // until the supervisor gets to it, go quietly.
          const ant = whereis(antName(c, a));
          if (!ant) exit('ant_restarting');
          send(ant, { type: 'build', tau, seed: mixSeed(cfg.seed, c, m.round, it, a), from: self(), key });
        }
        for (let a = 0; a < cfg.ants; a++) {
          const r = await receive<Best>({ type: 'built', ant: a, key: (k: unknown) => Array.isArray(k) && k[0] === key[0] && k[1] === key[1] });
          if (!mine || r.cost < mine.cost) mine = { cost: r.cost, order: r.order };
        }
        lay(tau, n, mine!, cfg.acs.rho);
      }
      send(m.from, { type: 'colony_best', colony: c, round: m.round, best: mine });
    }
  });
  register(colonyName(c), pid);
  return pid;
}
