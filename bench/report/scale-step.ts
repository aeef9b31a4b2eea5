// The report's scale figures (issue 11): bench/kernel/scale.ts's tables
// beside a plain Map, and N idle processes (spawn, bytes per process, a
// ring and a fan-out over them) beside BEAM. Each process count runs on
// each engine by itself, so that a count that does not fit one engine's
// RAM (1M hosted at 1 GiB, say) is written down as such and the rest is
// still measured.
import { readResult, runScript, StepError } from './child.ts';

export interface ScaleSection {
  runs: number;
  ramMiB: number;
  engines: string[];
  tableSizes: number[];
  spawnSizes: number[];
  /** Workload name -> unit and each engine's median. */
  medians: Record<string, Record<string, number | string>>;
  /** `engine N` -> why that count was not measured there. */
  failures: Record<string, string>;
}

type ScaleJson = { medians: Record<string, Record<string, number | string>> };

export async function scaleSection(o: { runs: number; ramMiB: number; engines: string[]; tableSizes: number[]; spawnSizes: number[]; log: (s: string) => void }): Promise<ScaleSection> {
  const medians: ScaleSection['medians'] = {};
  const failures: ScaleSection['failures'] = {};
  const merge = (got: ScaleJson['medians']) => {
    for (const [name, row] of Object.entries(got)) Object.assign((medians[name] ??= {}), row);
  };
  const run = (engines: string[], tables: number[], spawn: number[]) => runScript('scale', 'bench/kernel/scale.ts', [
    '--runs', String(o.runs), '--engines', engines.join(','), '--tables', tables.join(','), '--spawn', spawn.join(','), '--ram', String(o.ramMiB),
  ]);
  // Tables fit everywhere: one run of every engine but BEAM (which has no table case).
  const tableEngines = o.engines.filter((e) => e !== 'beam');
  if (o.tableSizes.length > 0 && tableEngines.length > 0) {
    await run(tableEngines, o.tableSizes, []);
    merge(readResult<ScaleJson>('scale', 'scale.json').medians);
  }
  for (const n of o.spawnSizes) {
    for (const e of o.engines) {
      try {
        await run([e], [], [n]);
        merge(readResult<ScaleJson>('scale', 'scale.json').medians);
      } catch (err) {
        if (!(err instanceof StepError)) throw err;
        // scale.ts's own line for it, else the step's message
        failures[`${e} ${n}`] = err.message.match(/scale: \S+ failed: (.*?)(?: \/ run \d|$)/)?.[1] ?? err.message.replace(/^step scale failed: /, '');
        o.log(`scale: ${e} at ${n} processes not measured: ${failures[`${e} ${n}`]}`);
      }
    }
  }
  return { runs: o.runs, ramMiB: o.ramMiB, engines: o.engines, tableSizes: o.tableSizes, spawnSizes: o.spawnSizes, medians, failures };
}
