// Kernel benchmarks: the workloads of issue 3 on plain Node (V8, node host),
// hosted (QuickJS on quickjs-emscripten, the hosted runner), metal (the boot
// layer in QEMU: TCG unless a usable KVM exists), native (the boot layer as a
// Linux program, qemu/build/mote-native) and BEAM (erl), all in the
// same run; medians of N runs and ratios to BEAM.
//   npx vite-node bench/kernel/run.ts [--runs 3] [--scale 1] [--engines node,hosted,metal,beam]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { writeImage } from '../../builder/image.ts';
import { BOOT_LAYER, compileModule, MOTE_ROOT } from '../../builder/pack.ts';
import { bootImage } from '../../builder/qemu.ts';
import { writeTar } from '../../builder/tar.ts';
import { runHosted } from '../../builder/hosted/index.ts';
import { bundleWorkloads, workloadSizes } from './workloads.ts';
import { createNodeHost } from '../../tests/support/node-host.ts';

if (process.argv.includes('--help')) {
  console.log(`usage: npx vite-node bench/kernel/run.ts [--runs 3] [--scale 1] [--engines node,hosted,metal,beam]
  --runs N       runs per engine; medians are reported
  --scale X      workload sizes times X (0.2 for a quick look; metal under TCG takes ~6 min a run at 1)
  --engines L    any of node, hosted, metal (QEMU), native (the boot layer as a Linux program:
                 make -C qemu native), beam (needs erl: apt-get install erlang-base)
Results: a table here and bench/results/kernel.json.`);
  process.exit(0);
}

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const runs = Number(arg('runs', '3'));
const scale = Number(arg('scale', '1'));
const engines = arg('engines', 'node,hosted,metal,beam').split(',');

const sizes = workloadSizes(scale);

type Results = Record<string, { value: number; unit: string }>;

function parse(out: string): Results {
  const r: Results = {};
  for (const m of out.matchAll(/^BENCH (.*)$/gm)) {
    const j = JSON.parse(m[1]!) as { name: string; value: number; unit: string };
    r[j.name] = { value: j.value, unit: j.unit };
  }
  return r;
}

async function runNode(code: string): Promise<Results> {
  const host = createNodeHost();
  const ctx = createContext({ __mote: host.platform, console: undefined });
  const r = await host.run(() => runInContext(code, ctx));
  if (r.code !== 0) throw new Error(`node run failed (${r.code}): ${r.output}\n${r.error}`);
  return parse(r.output);
}

async function runQuickJS(code: string): Promise<Results> {
  const bytes = new TextEncoder().encode(code);
  const manifest = { format: 1, name: 'bench', version: '0.0.0', entry: 'main.js', modules: [{ name: 'main.js', size: bytes.length, priority: 0 }] };
  const r = await runHosted({ manifest, files: new Map([['main.js', bytes]]) }, { memoryBytes: 1024 << 20, timeoutMs: 600_000 });
  if (r.status !== 0) throw new Error(`hosted run failed (${r.status}): ${r.output}`);
  return parse(r.output);
}

/** The image metal and native run: the boot layer with the workloads as its payload. */
async function benchImage(code: string): Promise<string> {
  const bytes = new TextEncoder().encode(code);
  const manifest = { format: 1, name: 'bench', version: '0.0.0', entry: 'main.js', modules: [{ name: 'main.js', size: bytes.length, priority: 0 }] };
  const tar = await writeTar([
    ['manifest.json', new TextEncoder().encode(JSON.stringify(manifest))],
    ['main.js', bytes],
    ['main.js.qbc', compileModule(join(MOTE_ROOT, 'qemu/build/mote-qjsc'), 'main.js', bytes)],
  ]);
  const image = join(mkdtempSync(join(tmpdir(), 'mote-bench-metal-')), 'bench.img');
  writeFileSync(image, writeImage(readFileSync(BOOT_LAYER), tar));
  return image;
}

/** The boot layer in QEMU (TCG here: see bootImage's accel), with 1 GiB of RAM. */
async function runMetal(code: string): Promise<Results> {
  const r = await bootImage(await benchImage(code), { memory: 1024 << 20, stdio: 'pipe', timeoutMs: 1_800_000 });
  if (r.status !== 0) throw new Error(`metal run failed (${r.status}): ${r.output}`);
  return parse(r.output);
}

/** The same image and host core as a Linux program (qemu/build/mote-native,
 *  `make -C qemu native`), the budget metal has at 1 GiB: what a real KVM host approaches. */
async function runNative(code: string): Promise<Results> {
  const image = await benchImage(code);
  const out = execFileSync(join(MOTE_ROOT, 'qemu/build/mote-native'), [image, '--ram', '1024M'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return parse(out);
}

function runBeam(): Results {
  const dir = mkdtempSync(join(tmpdir(), 'mote-bench-erl-'));
  execFileSync('erlc', ['-o', dir, ...['workloads', 'workloads_idle', 'workloads_sup'].map((m) => join(MOTE_ROOT, `bench/kernel/${m}.erl`))]);
  const s = sizes;
  const out = execFileSync('erl', ['-noshell', '-pa', dir, '-eval',
    `workloads:main([${s.idle}, ${s.pingpong}, ${s.ringProcs}, ${s.ringHops}, ${s.selective}, ${s.restarts}, ${s.ets}])`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return parse(out);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const all: Record<string, Results[]> = {};
const iife = await bundleWorkloads(sizes, 'iife');
const esm = await bundleWorkloads(sizes, 'esm');
for (let i = 0; i < runs; i++) {
  for (const e of engines) {
    const t0 = performance.now();
    const r = e === 'node' ? await runNode(iife) : e === 'hosted' ? await runQuickJS(esm) : e === 'metal' ? await runMetal(esm) : e === 'native' ? await runNative(esm) : runBeam();
    (all[e] ??= []).push(r);
    console.error(`run ${i + 1}/${runs} ${e}: ${Math.round(performance.now() - t0)} ms`);
  }
}

const names = Object.keys(all[engines[0]!]![0]!);
const table: Record<string, Record<string, number | string>> = {};
for (const n of names) {
  const row: Record<string, number | string> = { unit: all[engines[0]!]![0]![n]!.unit };
  for (const e of engines) row[e] = median(all[e]!.map((r) => r[n]?.value ?? NaN));
  if (all.beam) {
    // Ratio as "times slower than BEAM" (>1 is worse), whichever way the unit goes.
    const lowerIsBetter = /bytes|us\//.test(String(row.unit));
    for (const e of engines.filter((x) => x !== 'beam')) {
      const v = row[e] as number;
      const b = row.beam as number;
      row[`${e}/beam`] = Math.round((lowerIsBetter ? v / b : b / v) * 100) / 100;
    }
  }
  table[n] = row;
}
console.table(table);
const outDir = join(MOTE_ROOT, 'bench/results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'kernel.json'), JSON.stringify({ runs, scale, sizes, engines, medians: table, raw: all }, null, 2));
console.log(`written bench/results/kernel.json`);
