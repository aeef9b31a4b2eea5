// Instructions per message under callgrind, on each checkout's own
// qemu/build/mote-native (make -C qemu native): fixtures/msg.ts's
// ping-pong of a small term and its ring, each run at two sizes, so that
// boot and setup cancel out and the difference over the messages (or hops)
// between them is the figure. Independent of the machine's load. Several
// checkouts (this one and git worktrees) run in turns, the kernel and the
// engine of each its own.
// The counts still vary by a percent or two from run to run (the kernel
// reads the clock: a slower run sees more milliseconds pass, so more clock
// reads and timer checks), so each is the median of --runs, in turns.
//   npx vite-node bench/kernel/msg-profile.ts [--roots .,/tmp/kernel-old] [--n 2000,6000] [--runs 3] [--out DIR]
// --out keeps each run's callgrind file, for callgrind_annotate.
// --ops: instead, the opcodes each JS function runs per message (or hop),
// the most first, from each checkout's qemu/build/mote-native-ops (make -C
// qemu native-ops: quickjs-trace-ops.patch counts every dispatch). Each
// call of a function also costs the engine some 200-300 instructions.
// --handlers: instead, the interpreter's instructions per message by opcode
// handler (handler-costs.ts), a call's entry and exit apart.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MOTE_ROOT } from '../../builder/paths.ts';
import { bundleFixture } from './workloads.ts';
import { benchImage } from './engines.ts';
import { readFlags } from '../flags.ts';
import { handlerCosts } from './handler-costs.ts';

const HELP = `usage: npx vite-node bench/kernel/msg-profile.ts [--roots .,DIR] [--n 2000,6000] [--runs 3] [--procs 1000] [--workloads pingpong,ring] [--out DIR]
  --roots L      checkouts to measure, each with its kernel and qemu/build/mote-native
  --runs N       runs of each, in turns; the median is reported
  --n A,B        the two sizes: round trips of the ping-pong, hops of the ring
  --procs N      processes in the ring
  --workloads L  pingpong, ring, spawn (--n processes spawned until each waits in receive; not by default)
  --out DIR      keep the callgrind files there (name: workload-size-root#)
  --ops          opcodes run per message by each JS function (mote-native-ops), not instructions
  --handlers     the interpreter's instructions per message by opcode handler, a call's entry and exit apart
  --top N        with --ops or --handlers, the N rows that cost the most (default 25)`;
const flags = readFlags(HELP, ['roots', 'n', 'runs', 'procs', 'workloads', 'out', 'top'], ['ops', 'handlers']);
const runs = Math.max(1, flags.number('runs', 3));
const roots = flags.list('roots', '.').map((r) => resolve(r));
const [nA, nB] = flags.list('n', '2000,6000').map(Number) as [number, number];
const procs = flags.number('procs', 1000);
const workloads = flags.list('workloads', 'pingpong,ring');
const outDir = flags.text('out', '');
for (const w of workloads) {
  if (!['pingpong', 'ring', 'spawn'].includes(w)) {
    console.error(`msg-profile: unknown workload ${w} (pingpong, ring, spawn)`);
    process.exit(2);
  }
}
if (!(nB > nA)) {
  console.error('msg-profile: --n needs two sizes, the second larger');
  process.exit(2);
}
if (outDir) mkdirSync(outDir, { recursive: true });

async function image(root: string, workload: string, n: number): Promise<string> {
  const code = await bundleFixture('msg.ts', { MSG: JSON.stringify({ workload, n, procs }) }, 'esm', root);
  return benchImage(code, root, 'msg');
}

/** Instructions of one run under callgrind. */
function instructions(root: string, img: string, keep: string, byInstruction = false): number {
  const out = keep || join(mkdtempSync(join(tmpdir(), 'mote-msg-cg-')), 'callgrind.out');
  execFileSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, ...(byInstruction ? ['--dump-instr=yes'] : []), join(root, 'qemu/build/mote-native'), img, '--ram', '256M'], {
    stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
  });
  const m = /^summary:\s+(\d+)/m.exec(readFileSync(out, 'utf8')) ?? /^totals:\s+(\d+)/m.exec(readFileSync(out, 'utf8'));
  if (!m) throw new Error(`msg-profile: no totals in ${out}`);
  return Number(m[1]);
}

const unit = (w: string): string => (w === 'ring' ? 'hop' : w === 'spawn' ? 'process' : 'message');
const perUnit = (w: string, n: number): number => (w === 'pingpong' ? 2 * n : n);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Opcodes by function ("file:function:line") of one run of mote-native-ops. */
function opsByFunction(root: string, img: string): Map<string, number> {
  const engine = join(root, 'qemu/build/mote-native-ops');
  if (!existsSync(engine)) throw new Error(`msg-profile: no ${engine} (make -C qemu native-ops)`);
  const out = join(mkdtempSync(join(tmpdir(), 'mote-msg-ops-')), 'ops.txt');
  execFileSync(engine, [img, '--ram', '256M'], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, env: { ...process.env, MOTE_OP_PROFILE: out } });
  const ops = new Map<string, number>();
  for (const line of readFileSync(out, 'utf8').split('\n').filter(Boolean)) {
    const [count, name] = line.split('\t') as [string, string];
    ops.set(name, (ops.get(name) ?? 0) + Number(count));
  }
  return ops;
}

if (flags.has('ops')) {
  const top = flags.number('top', 25);
  for (const w of workloads) {
    for (const root of roots) {
      const [a, b] = [opsByFunction(root, await image(root, w, nA)), opsByFunction(root, await image(root, w, nB))];
      const units = perUnit(w, nB) - perUnit(w, nA);
      const rows = [...b].map(([name, n]): [string, number] => [name, (n - (a.get(name) ?? 0)) / units]).filter(([, n]) => n > 0.05).sort((x, y) => y[1] - x[1]);
      const total = rows.reduce((sum, [, n]) => sum + n, 0);
      console.log(`${w} ${root === MOTE_ROOT ? '.' : root}: ${total.toFixed(1)} opcodes per ${unit(w)}, in ${rows.length} functions`);
      for (const [name, n] of rows.slice(0, top)) console.log(`  ${n.toFixed(1).padStart(7)}  ${name}`);
    }
  }
  process.exit(0);
}
if (flags.has('handlers')) {
  const top = flags.number('top', 25);
  for (const w of workloads) {
    for (const root of roots) {
      const dir = outDir || mkdtempSync(join(tmpdir(), 'mote-msg-handlers-'));
      const outs = [nA, nB].map((n) => join(dir, `${w}-${n}-handlers.out`));
      for (const [j, n] of [nA, nB].entries()) instructions(root, await image(root, w, n), outs[j]!, true);
      const engine = join(root, 'qemu/build/mote-native');
      const rows = handlerCosts(engine, join(root, 'qemu/build/quickjs/quickjs.c'), outs[0]!, outs[1]!, perUnit(w, nB) - perUnit(w, nA));
      const total = rows.reduce((sum, [, n]) => sum + n, 0);
      console.log(`${w} ${root === MOTE_ROOT ? '.' : root}: ${Math.round(total)} instructions per ${unit(w)} in the interpreter (JS_CallInternal), by handler`);
      for (const [name, n] of rows.slice(0, top)) console.log(`  ${Math.round(n).toString().padStart(7)}  ${name}`);
    }
  }
  process.exit(0);
}
for (const w of workloads) {
  const images = await Promise.all(roots.map(async (root) => [await image(root, w, nA), await image(root, w, nB)]));
  const per: number[][] = roots.map(() => []);
  for (let run = 0; run < runs; run++) {
    for (const [i, root] of roots.entries()) {
      const counts = images[i]!.map((img, j) => instructions(root, img, outDir ? join(outDir, `${w}-${j ? nB : nA}-${i}-${run}.out`) : ''));
      per[i]!.push((counts[1]! - counts[0]!) / (perUnit(w, nB) - perUnit(w, nA)));
    }
  }
  for (const [i, root] of roots.entries()) {
    const name = root === MOTE_ROOT ? '.' : root;
    console.log(`${w} ${name}: ${Math.round(median(per[i]!))} instructions per ${unit(w)} (runs: ${per[i]!.map(Math.round).join(', ')})`);
  }
}
