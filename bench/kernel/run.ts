// Kernel benchmarks: the workloads of issue 3 on plain Node (V8, node host),
// hosted (the wasm engine: metal's QuickJS and host core), metal (the boot
// layer in QEMU: TCG unless a usable KVM exists), native (the boot layer as a
// Linux program, qemu/build/mote-native) and BEAM (erl), all in the
// same run; medians of N runs and ratios to BEAM.
//   npx vite-node bench/kernel/run.ts [--runs 3] [--scale 1] [--engines node,hosted,metal,beam]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOTE_ROOT } from '../../builder/pack.ts';
import { bundleWorkloads, workloadSizes } from './workloads.ts';
import { median, parse, runOn, type Results } from './engines.ts';
import { readFlags } from '../flags.ts';

const flags = readFlags(`usage: npx vite-node bench/kernel/run.ts [--runs 3] [--scale 1] [--engines node,hosted,metal,beam]
  --runs N       runs per engine; medians are reported
  --scale X      workload sizes times X (0.2 for a quick look; metal under TCG takes ~6 min a run at 1)
  --engines L    any of node, hosted, metal (QEMU), native (the boot layer as a Linux program:
                 make -C qemu native), beam (needs erl: apt-get install erlang-base)
Results: a table here and bench/results/kernel.json.`, ['runs', 'scale', 'engines']);
const runs = flags.number('runs', 3);
const scale = flags.number('scale', 1);
const engines = flags.list('engines', 'node,hosted,metal,beam');

const sizes = workloadSizes(scale);

function runBeam(): Results {
  const dir = mkdtempSync(join(tmpdir(), 'mote-bench-erl-'));
  execFileSync('erlc', ['-o', dir, ...['workloads', 'workloads_idle', 'workloads_sup'].map((m) => join(MOTE_ROOT, `bench/kernel/${m}.erl`))]);
  const s = sizes;
  const out = execFileSync('erl', ['-noshell', '-pa', dir, '-eval',
    `workloads:main([${s.idle}, ${s.pingpong}, ${s.ringProcs}, ${s.ringHops}, ${s.selective}, ${s.restarts}, ${s.ets}])`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return parse(out);
}

const all: Record<string, Results[]> = {};
const iife = await bundleWorkloads(sizes, 'iife');
const esm = await bundleWorkloads(sizes, 'esm');
for (let i = 0; i < runs; i++) {
  for (const e of engines) {
    const t0 = performance.now();
    const r = e === 'beam' ? runBeam() : await runOn(e, { iife, esm });
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
