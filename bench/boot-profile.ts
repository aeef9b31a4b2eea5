// Where hello's boot goes, in guest code: QEMU (TCG) logs every translated
// block (-d in_asm) and every block run (-d exec,nochain); each block's
// instructions are counted to the functions on a call stack rebuilt from the
// blocks that end in call and ret, symbols from the boot layer's ELF.
// Translation, not execution, is most of a boot's cost under TCG, and a new
// block costs about as much as its instructions: bench/tcg-cost.ts measures
// ~1 µs per instruction translated, 1-5 µs per block besides, against 1-2 ms
// per million instructions run (issue 11: hello's ~11k translated
// instructions are most of its ~25-35 ms over the floor). So the table
// gives blocks, instructions translated and instructions run.
//   npx vite-node bench/boot-profile.ts [--machine microvm|pc] [--functions N [--within f]] [--steps f,g] [--stacks f] [--boot-layer ELF] [--keep-log]
// --stacks f lists the call stacks under which f's blocks were first translated.
// --functions N adds the N functions that translate the most new blocks (their
// own blocks, not their callees'; --within f: only those run under f;
// --by-instructions: the N that run the most instructions); --steps f,g adds the functions f and g
// (with what they call) to the table of steps; --boot-layer profiles another
// build's boot layer (its mote-qjsc beside it) with this checkout's kernel.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOOT_LAYER } from '../builder/pack.ts';
import { QEMU } from '../builder/qemu.ts';
import { writeHello } from './boot-times.ts';

/** The boot's steps, in the order they run: a function counts everything it
 *  calls (kmain: all of the boot layer's C, start32: the page tables). */
const STEPS = [
  'start32', 'kmain', 'boot_layer_check', 'payload_init', 'clock_init', 'JS_NewRuntime2', 'JS_NewContext', 'host_api_install', 'JS_ParseJSON',
  'host_module_source', 'JS_EvalFunction', 'host_turn',
];

const arg = (name: string) => { const i = process.argv.indexOf(name); return i < 0 ? undefined : process.argv[i + 1]; };
const machine = arg('--machine') ?? 'microvm';
const dir = mkdtempSync(join(tmpdir(), 'mote-boot-profile-'));
const bootLayer = arg('--boot-layer') ?? BOOT_LAYER;
const { path: hello } = await writeHello(dir, bootLayer);
const log = join(dir, 'qemu.log');
spawnSync(QEMU, ['-M', machine, '-accel', 'tcg', '-m', '8M', '-kernel', hello, '-nodefaults', '-no-user-config', '-display', 'none',
  '-monitor', 'none', '-serial', 'null', '-no-reboot', '-device', 'isa-debug-exit,iobase=0xf4,iosize=4',
  '-device', machine === 'pc' ? 'virtio-rng-pci' : 'virtio-rng-device', '-d', 'in_asm,exec,nochain', '-D', log], { stdio: 'ignore' });

const syms: Array<[number, string]> = execFileSync('nm', ['-n', '--defined-only', bootLayer], { encoding: 'utf8' })
  .split('\n').map((l) => l.split(' ')).filter((f) => f.length === 3 && /^[tTwW]$/.test(f[1]!))
  .map((f) => [parseInt(f[0]!, 16), f[2]!]);
const imageEnd = syms[syms.length - 1]![0] + 0x10000;
function symbol(pc: number): string {
  if (pc < syms[0]![0] || pc > imageEnd) return 'firmware';
  let lo = 0, hi = syms.length - 1;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (syms[mid]![0] <= pc) lo = mid; else hi = mid - 1; }
  return syms[lo]![1];
}

interface Block { insns: number; endsIn: 'call' | 'ret' | ''; next: number }
const blocks = new Map<number, Block>();
const insns = new Map<string, number>();
const fresh = new Map<string, number>();
const freshInsns = new Map<string, number>();
const ownInsns = new Map<string, number>();
const ownFresh = new Map<string, number>();
const ownFreshInsns = new Map<string, number>();
const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
let totalInsns = 0, totalFresh = 0, totalFreshInsns = 0;
const within = arg('--within');
const stacksOf = arg('--stacks');
const stacksSeen = new Map<string, number>();
let stack: Array<{ fn: string; ret: number }> = [];
let translating: string[] | undefined;
let last: Block | undefined;
for (const line of readFileSync(log, 'latin1').split('\n')) {
  if (line.startsWith('IN:')) { translating = []; continue; }
  if (translating && line.startsWith('0x')) { translating.push(line); continue; }
  if (!line.startsWith('Trace')) continue;
  const pc = parseInt(line.split('[')[1]!.split('/')[1]!, 16);
  const isNew = translating !== undefined && translating.length > 0;
  if (isNew) {
    const m = /^0x([0-9a-f]+):\s+((?:[0-9a-f]{2} )+)\s*(\S+)/.exec(translating!.at(-1)!);
    const op = m?.[3] ?? '';
    blocks.set(pc, { insns: translating!.length, endsIn: op.startsWith('call') ? 'call' : op.startsWith('ret') ? 'ret' : '',
      next: m ? parseInt(m[1]!, 16) + m[2]!.trim().split(' ').length : 0 });
  }
  translating = undefined;
  const b = blocks.get(pc) ?? { insns: 1, endsIn: '', next: 0 };
  for (let i = stack.length - 1; i >= 0; i--) {                   // a return lands after its call
    if (stack[i]!.ret === pc) { stack = stack.slice(0, i); break; }
  }
  const fn = symbol(pc);
  if (last?.endsIn === 'call') stack.push({ fn, ret: last.next });
  for (const name of new Set([...stack.map((f) => f.fn).filter((f) => f !== 'firmware'), fn])) {  // firmware: its own blocks
    add(insns, name, b.insns);
    if (isNew) { add(fresh, name, 1); add(freshInsns, name, b.insns); }
  }
  if (isNew && fn === stacksOf) {
    const where = stack.map((f) => f.fn).join(' < ');
    stacksSeen.set(where, (stacksSeen.get(where) ?? 0) + 1);
  }
  if (!within || stack.some((f) => f.fn === within) || fn === within) {
    add(ownInsns, fn, b.insns);
    if (isNew) { add(ownFresh, fn, 1); add(ownFreshInsns, fn, b.insns); }
  }
  totalInsns += b.insns;
  totalFresh += isNew ? 1 : 0;
  totalFreshInsns += isNew ? b.insns : 0;
  last = b;
}
if (!process.argv.includes('--keep-log')) rmSync(dir, { recursive: true, force: true });
else console.log(`log: ${log}`);

const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`.padStart(6);
console.log(`hello on ${machine} under TCG: ${totalInsns} guest instructions run, ${totalFresh} blocks (${totalFreshInsns} instructions) translated`);
console.log(`${'step (with what it calls)'.padEnd(28)} ${'instructions'.padStart(12)}        ${'new blocks'.padStart(10)}        ${'translated'.padStart(10)}`);
for (const s of ['firmware', ...STEPS, ...(arg('--steps')?.split(',') ?? [])]) {
  const n = insns.get(s) ?? 0, f = fresh.get(s) ?? 0, t = freshInsns.get(s) ?? 0;
  console.log(`${s.padEnd(28)} ${String(n).padStart(12)} ${pct(n, totalInsns)} ${String(f).padStart(10)} ${pct(f, totalFresh)} ${String(t).padStart(10)} ${pct(t, totalFreshInsns)}`);
}

if (stacksOf) {
  console.log(`\nnew blocks of ${stacksOf}, by the call stack they were first run under (outermost first)`);
  for (const [where, n] of [...stacksSeen].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(6)}  ${where}`);
}

const top = Number(arg('--functions') ?? 0);
if (top > 0) {
  console.log(`\n${'function (its own blocks)'.padEnd(28)} ${'instructions'.padStart(12)}        ${'new blocks'.padStart(10)}        ${'translated'.padStart(10)}`);
  const byInsns = process.argv.includes('--by-instructions');
  const order = byInsns ? [...ownInsns].sort((a, b) => b[1] - a[1]) : [...ownFresh].sort((a, b) => b[1] - a[1]);
  for (const [fn] of order.slice(0, top)) {
    const n = ownInsns.get(fn) ?? 0, f = ownFresh.get(fn) ?? 0, t = ownFreshInsns.get(fn) ?? 0;
    console.log(`${fn.slice(0, 28).padEnd(28)} ${String(n).padStart(12)} ${pct(n, totalInsns)} ${String(f).padStart(10)} ${pct(f, totalFresh)} ${String(t).padStart(10)} ${pct(t, totalFreshInsns)}`);
  }
}
