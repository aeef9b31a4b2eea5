// The report's per-image table: each image in images/, built as mote build
// builds it: its size, the RAM `mote inspect` predicts it needs to boot to
// a console and to run fully beside the RAM it was measured to need
// (ram-minimums.ts), and QEMU's launch to its first console output (TCG,
// microvm, -m 16M), alternating with the floor's launch to exit.
import { readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packApp, MOTE_ROOT } from '../../builder/pack.ts';
import { encodeCommandLine } from '../../builder/cmdline.ts';
import { inspectImage } from '../../builder/inspect.ts';
import { bootImage } from '../../builder/qemu.ts';
import { FLOOR, wallMs } from '../boot-times.ts';
import { median } from '../stats.ts';
import { measureRamMinimums, type RamMinimums } from './ram-minimums.ts';

/** Images whose first line is a result get a small job, so that their first
 *  output comes soon after boot. */
const QUICK_ENV: Record<string, Record<string, string>> = {
  orbit: { N: '10', P: '2' },
  chaos: { DURATION_MS: '100' },
  aco: { ROUNDS: '1', ITERATIONS: '1' },
};

export interface ImageRow {
  name: string;
  bytes: number;
  /** inspect's predictions. */
  bootMinBytes: number;
  fullMinBytes: number;
  /** The same measured (absent from runs before they were). */
  measured?: RamMinimums;
  firstOutputMs: number[];
  floorMs: number[];
  medians: { firstOutputMs: number; floorMs: number };
  env: Record<string, string>;
}

/** Launch to the first console output; the guest is stopped there. */
async function firstOutputMs(image: string, env: Record<string, string>): Promise<number> {
  const stop = new AbortController();
  let first = NaN;
  const t0 = performance.now();
  const r = await bootImage(image, {
    memory: 16 << 20, machine: 'microvm', accel: 'tcg', stdio: 'pipe', timeoutMs: 60_000, input: '',
    commandLine: Object.keys(env).length ? encodeCommandLine([], env) : undefined,
    signal: stop.signal,
    onOutput: () => {
      if (Number.isNaN(first)) first = performance.now() - t0;
      stop.abort();
    },
  });
  if (Number.isNaN(first)) throw new Error(`${image}: no console output (status ${r.status})`);
  return first;
}

/** Runs at once while the RAM minimums are searched (each search is a
 *  chain of runs, one image per job); the timed boots run alone before. */
const SEARCH_JOBS = 2;

export async function imagesSection(o: { runs: number; dir: string; only?: string[]; log: (s: string) => void }): Promise<ImageRow[]> {
  const names = readdirSync(join(MOTE_ROOT, 'images'))
    .filter((n) => ['package.json', 'main.ts'].some((f) => existsSync(join(MOTE_ROOT, 'images', n, f))))
    .filter((n) => !o.only || o.only.includes(n))
    .sort();
  const rows: ImageRow[] = [];
  const built = new Map<string, { path: string; image: Uint8Array; report: Awaited<ReturnType<typeof inspectImage>> }>();
  for (const name of names) {
    const { image } = await packApp({ app: join(MOTE_ROOT, 'images', name) });
    const path = join(o.dir, `${name}.img`);
    writeFileSync(path, image);
    const report = await inspectImage(image);
    const { predicted } = report;
    built.set(name, { path, image, report });
    const env = QUICK_ENV[name] ?? {};
    const first: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < o.runs; i++) {
      floor.push(await wallMs(FLOOR, 'microvm', 'tcg'));
      first.push(await firstOutputMs(path, env));
    }
    o.log(`image ${name}: ${image.length} bytes, first output ${median(first).toFixed(0)} ms, floor ${median(floor).toFixed(0)} ms`);
    rows.push({
      name, bytes: image.length, bootMinBytes: predicted.bootMin, fullMinBytes: predicted.fullMin,
      firstOutputMs: first, floorMs: floor, medians: { firstOutputMs: median(first), floorMs: median(floor) }, env,
    });
  }
  let next = 0;
  await Promise.all(Array.from({ length: SEARCH_JOBS }, async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      const b = built.get(row.name)!;
      row.measured = await measureRamMinimums(row.name, b.path, b.image, b.report, row.env);
      const k = (x: number | null) => (x === null ? 'none' : `${x / 1024} KiB`);
      o.log(`image ${row.name}: measured boot minimum ${k(row.measured.bootMinBytes)}, full ${k(row.measured.fullMinBytes)} (${row.measured.probes} runs)`);
    }
  }));
  return rows;
}
