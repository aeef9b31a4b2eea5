// Orbit on g124: images/orbit hosted (mote run) and on metal (mote boot:
// QEMU, TCG unless a usable KVM exists) against the same benchmark on BEAM
// (bench/orbit/orbit.erl, erl with one scheduler, as mote has one core), the
// engines alternating within each run; medians of the times each reports
// for its own computation, and ratios to BEAM.
//   npx vite-node bench/orbit/run.ts [--runs 3] [--space 2000] [--workers 4] [--engines hosted,metal,beam]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOTE_ROOT } from '../../builder/pack.ts';
import { median } from '../stats.ts';
import { readFlags } from '../flags.ts';

const flags = readFlags(`usage: npx vite-node bench/orbit/run.ts [--runs 3] [--space 2000] [--workers 4] [--engines hosted,metal,beam] [--memory 32M] [--beam-schedulers 1]
  --runs N              runs per engine, alternating; medians are reported
  --space N             the space [0..N) (2000: about 2 s hosted, 11 s under TCG, per version)
  --workers P           the parallel version's workers
  --engines L           any of hosted, metal (QEMU), beam (needs erl: apt-get install erlang-base)
  --memory M            RAM for the image (-m)
  --beam-schedulers S   erl +S S (1: one core, as mote has)
Results: a table here and bench/results/orbit.json.`, ['runs', 'space', 'workers', 'memory', 'beam-schedulers', 'engines'], []);
const runs = flags.number('runs', 3);
const space = flags.number('space', 2000);
const workers = flags.number('workers', 4);
const memory = flags.text('memory', '32M');
const schedulers = String(flags.number('beam-schedulers', 1));
const engines = flags.list('engines', 'hosted,metal,beam');
for (const e of engines) if (!['hosted', 'metal', 'beam'].includes(e)) throw new Error(`bench/orbit: unknown engine ${e} (hosted, metal, beam)`);

interface Run {
  sequential: number;
  parallel: number;
  size: number;
}

/** The times and size the run printed (both versions must agree). */
function parse(engine: string, out: string): Run {
  const seq = out.match(/sequential: size (\d+) in ([\d.]+) ms/);
  const par = out.match(/parallel P=\d+: size (\d+) in ([\d.]+) ms/);
  if (!seq || !par) throw new Error(`bench/orbit: ${engine} printed no result:\n${out}`);
  if (seq[1] !== par[1]) throw new Error(`bench/orbit: ${engine}'s sizes disagree: ${seq[1]} vs ${par[1]}`);
  return { sequential: Number(seq[2]), parallel: Number(par[2]), size: Number(seq[1]) };
}

const dir = mkdtempSync(join(tmpdir(), 'mote-bench-orbit-'));
const image = join(dir, 'orbit.img');
const mote = (args: string[]) => execFileSync(process.execPath, [join(MOTE_ROOT, 'bin/mote.js'), ...args], { cwd: MOTE_ROOT, encoding: 'utf8', maxBuffer: 16 << 20 });
mote(['build', 'images/orbit', '-o', image]);
if (engines.includes('beam')) execFileSync('erlc', ['-o', dir, join(MOTE_ROOT, 'bench/orbit/orbit.erl')]);

function runOnce(engine: string): Run {
  if (engine === 'beam') {
    return parse(engine, execFileSync('erl', ['+S', schedulers, '-noshell', '-pa', dir, '-eval', `orbit:main([${space}, ${workers}, both])`], { encoding: 'utf8' }));
  }
  return parse(engine, mote([engine === 'hosted' ? 'run' : 'boot', image, '-m', memory, '--', String(space), String(workers)]));
}

const all: Record<string, Run[]> = {};
for (let i = 0; i < runs; i++) {
  // Each run starts with the next engine, so none always goes first.
  for (let j = 0; j < engines.length; j++) {
    const e = engines[(i + j) % engines.length]!;
    const r = runOnce(e);
    (all[e] ??= []).push(r);
    console.error(`run ${i + 1}/${runs} ${e}: sequential ${r.sequential} ms, parallel ${r.parallel} ms`);
  }
}

const sizes = new Set(Object.values(all).flat().map((r) => r.size));
if (sizes.size !== 1) throw new Error(`bench/orbit: the engines found different sizes: ${[...sizes].join(', ')}`);
const medians: Record<string, { sequential: number; parallel: number; sequentialVsBeam?: number; parallelVsBeam?: number }> = {};
for (const e of engines) medians[e] = { sequential: median(all[e]!.map((r) => r.sequential)), parallel: median(all[e]!.map((r) => r.parallel)) };
if (medians.beam) {
  for (const e of engines) {
    medians[e]!.sequentialVsBeam = medians[e]!.sequential / medians.beam.sequential;
    medians[e]!.parallelVsBeam = medians[e]!.parallel / medians.beam.parallel;
  }
}
console.log(`Orbit g124, N=${space} (orbit size ${[...sizes][0]}), P=${workers}, medians of ${runs} runs (ms; x BEAM with ${schedulers} scheduler${schedulers === '1' ? '' : 's'}):`);
for (const e of engines) {
  const m = medians[e]!;
  const x = (v?: number) => (v === undefined ? '' : ` (${v.toFixed(1)}x)`);
  console.log(`  ${e.padEnd(7)} sequential ${m.sequential.toFixed(1).padStart(9)}${x(m.sequentialVsBeam)}   parallel ${m.parallel.toFixed(1).padStart(9)}${x(m.parallelVsBeam)}`);
}
const outDir = join(MOTE_ROOT, 'bench/results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'orbit.json'), JSON.stringify({ space, workers, size: [...sizes][0], runs, memory, beamSchedulers: Number(schedulers), engines, medians, raw: all }, null, 2));
console.log('written bench/results/orbit.json');
