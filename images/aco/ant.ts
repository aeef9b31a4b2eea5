// One ant's tour (Ant Colony System for SMTWTP): position by position, the
// next job is the best by pheromone x heuristic with probability q0, else
// drawn in proportion to it. The heuristic is the modified due date rule
// (1 / max(t + p_j, d_j)). Each step lays the local update on the ant's own
// copy of the trail, then an adjacent-swap descent polishes the schedule.
import { tardiness, type Instance } from './wt.ts';
import type { Rng } from './rng.ts';

export interface AcsParams {
  /** Probability of taking the best next job rather than a random draw. */
  q0: number;
  /** Evaporation, local and global. */
  rho: number;
  /** Initial trail, 1 / (n x EDD's tardiness). */
  tau0: number;
}

/** `tau[pos * n + job]`: the trail for `job` at position `pos`. */
export function construct(inst: Instance, tau: number[], rand: Rng, a: AcsParams): number[] {
  const n = inst.p.length;
  const left = inst.p.map((_, j) => j);
  const order: number[] = [];
  const score = new Array<number>(n);
  let t = 0;
  for (let pos = 0; pos < n; pos++) {
    let total = 0;
    let best = 0;
    for (let i = 0; i < left.length; i++) {
      const j = left[i];
      const eta = 1 / Math.max(t + inst.p[j], inst.d[j]);
      score[i] = tau[pos * n + j] * eta * eta;
      total += score[i];
      if (score[i] > score[best]) best = i;
    }
    let pick = best;
    if (rand() >= a.q0) {
      let x = rand() * total;
      for (pick = 0; pick < left.length - 1 && x >= score[pick]; pick++) x -= score[pick];
    }
    const j = left[pick];
    left.splice(pick, 1);
    order.push(j);
    t += inst.p[j];
    tau[pos * n + j] = (1 - a.rho) * tau[pos * n + j] + a.rho * a.tau0;
  }
  return improve(inst, order);
}

/** Swaps neighbours while that lowers the tardiness (at most n passes). */
export function improve(inst: Instance, order: number[]): number[] {
  let cost = tardiness(inst, order);
  for (let pass = 0, better = true; better && pass < order.length; pass++) {
    better = false;
    for (let i = 0; i + 1 < order.length; i++) {
      [order[i], order[i + 1]] = [order[i + 1], order[i]];
      const c = tardiness(inst, order);
      if (c < cost) {
        cost = c;
        better = true;
      } else {
        [order[i], order[i + 1]] = [order[i + 1], order[i]];
      }
    }
  }
  return order;
}
