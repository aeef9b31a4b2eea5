// The report's scale figures (issue 11): bench/kernel/scale.ts's tables
// beside a plain Map, and N idle processes (spawn, bytes per process, a
// ring and a fan-out over them) beside BEAM. Each case at each process
// count runs on each engine by itself, so that one that does not fit an
// engine's RAM (a ring of 1M hosted at 1 GiB, say) is written down as such
// and the rest is still measured. Counts of 1M run once: a run of the three
// cases there takes minutes on the slower engines.
import { readResult, runScript, StepError } from './child.ts';

export interface ScaleSection {
  runs: number;
  ramMiB: number;
  engines: string[];
  tableSizes: number[];
  spawnSizes: number[];
  /** Workload name -> unit and each engine's median. */
  medians: Record<string, Record<string, number | string>>;
  /** `engine N case` -> why that case was not measured there. */
  failures: Record<string, string>;
}

type ScaleJson = { medians: Record<string, Record<string, number | string>> };

const CASES = ['idle', 'ring', 'fanout'];
/** Counts from which a case runs once. */
export const ONCE_FROM = 1_000_000;

export async function scaleSection(o: { runs: number; ramMiB: number; engines: string[]; tableSizes: number[]; spawnSizes: number[]; log: (s: string) => void }): Promise<ScaleSection> {
  const medians: ScaleSection['medians'] = {};
  const failures: ScaleSection['failures'] = {};
  const merge = (got: ScaleJson['medians']) => {
    for (const [name, row] of Object.entries(got)) Object.assign((medians[name] ??= {}), row);
  };
  const run = (engines: string[], tables: number[], spawn: number[], cases = 'idle', runs = o.runs) => runScript('scale', 'bench/kernel/scale.ts', [
    '--runs', String(runs), '--engines', engines.join(','), '--tables', tables.join(','), '--spawn', spawn.join(','), '--cases', cases, '--ram', String(o.ramMiB),
  ]);
  // Tables fit everywhere: one run of every engine but BEAM (which has no table case).
  const tableEngines = o.engines.filter((e) => e !== 'beam');
  if (o.tableSizes.length > 0 && tableEngines.length > 0) {
    await run(tableEngines, o.tableSizes, []);
    merge(readResult<ScaleJson>('scale', 'scale.json').medians);
  }
  for (const n of o.spawnSizes) {
    for (const c of CASES) {
      for (const e of o.engines) {
        try {
          await run([e], [], [n], c, n >= ONCE_FROM ? 1 : o.runs);
          merge(readResult<ScaleJson>('scale', 'scale.json').medians);
        } catch (err) {
          if (!(err instanceof StepError)) throw err;
          // scale.ts's own line for it, else the step's message
          const why = err.message.match(/scale: \S+ failed: (.*?)(?: \/ run \d|$)/)?.[1] ?? err.message.replace(/^step scale failed: /, '');
          failures[`${e} ${n} ${c}`] = why;
          o.log(`scale: ${c} on ${e} at ${n} processes not measured: ${why}`);
        }
      }
    }
  }
  return { runs: o.runs, ramMiB: o.ramMiB, engines: o.engines, tableSizes: o.tableSizes, spawnSizes: o.spawnSizes, medians, failures };
}
