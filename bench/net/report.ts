// The network bench's tables: medians of runs, and mote against each
// reference as a ratio of requests/s (>1: mote serves more).
import { median } from '../stats.ts';
import type { Load, Workload } from './load.ts';

export type LoadRuns = Record<Workload, Record<string, Load[]>>;
export type LoadMedians = Record<Workload, Record<string, Load>>;

export function medians(runs: LoadRuns): LoadMedians {
  const out = {} as LoadMedians;
  for (const [w, byTarget] of Object.entries(runs) as Array<[Workload, Record<string, Load[]>]>) {
    out[w] = {};
    for (const [t, xs] of Object.entries(byTarget)) {
      out[w][t] = {
        rps: median(xs.map((x) => x.rps)),
        p50Ms: median(xs.map((x) => x.p50Ms)),
        p99Ms: median(xs.map((x) => x.p99Ms)),
        errors: xs.reduce((a, x) => a + x.errors, 0),
      };
    }
  }
  return out;
}

const r2 = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : '-');
const r1 = (x: number) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : '-');

/** One row per workload and server: req/s, p50, p99, and each mote host's
 *  req/s over this server's. */
export function loadTable(m: LoadMedians): Record<string, Record<string, number | string>> {
  const t: Record<string, Record<string, number | string>> = {};
  for (const [w, byTarget] of Object.entries(m)) {
    const run = byTarget['mote run']?.rps ?? NaN;
    const boot = byTarget['mote boot']?.rps ?? NaN;
    for (const [name, l] of Object.entries(byTarget)) {
      t[`${w} · ${name}`] = {
        'req/s': Math.round(l.rps),
        'p50 ms': r2(l.p50Ms),
        'p99 ms': r2(l.p99Ms),
        errors: l.errors,
        'run÷this': r2(run / l.rps),
        'boot÷this': r2(boot / l.rps),
      };
    }
  }
  return t;
}

export { r1, r2 };
