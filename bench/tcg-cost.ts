// What a boot costs under TCG, per unit, on this machine: made-up kernels,
// each the floor (qemu/tools/floor.S) with something run before its
// power-off, timed against the floor in turns with hello, as
// bench/boot-times.ts's wallMs times a boot (launch to exit, microvm, 8 MiB):
//   blocks: N distinct blocks of 2 instructions (a load, then a jmp), each
//           run once; long blocks: the same N blocks of 20 (loads, stores,
//           arithmetic): from the two, what a new block costs by itself and
//           per instruction translated in it;
//   loop: M instructions in one block run over and over: execution.
// Then hello's own counts over the floor's (one untimed boot each with
// -d in_asm,exec,nochain, as bench/boot-profile.ts counts) priced at those
// rates, against hello's measured excess over the floor. The made-up code is
// 32-bit, on a few pages, and touches one page of data; hello's 64-bit code
// costs more than it a translated instruction: "the rest" (issue 11: a
// quarter to a third of hello's excess) is still in QEMU's translator by a
// perf profile of its vCPU thread, not in waiting or in QEMU's loading.
//   npx vite-node bench/tcg-cost.ts [--runs 20] [--blocks 2000] [--insns 1600000]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOTE_ROOT } from '../builder/pack.ts';
import { bootImage, QEMU } from '../builder/qemu.ts';
import { FLOOR, writeHello } from './boot-times.ts';
import { median } from './stats.ts';
import { readFlags } from './flags.ts';

const flags = readFlags(
  'usage: npx vite-node bench/tcg-cost.ts [--runs 20] [--blocks 2000] [--insns 1600000]\n' +
  '  --runs N     rounds; each boots every kernel once, in a rotating order\n' +
  '  --blocks N   distinct blocks in the block kernels\n' +
  '  --insns M    instructions the loop kernel runs',
  ['runs', 'blocks', 'insns'],
);
const runs = flags.number('runs', 20);
const nBlocks = Math.max(1, Math.round(flags.number('blocks', 2000)));
const loopInsns = flags.number('insns', 1_600_000);
const dir = mkdtempSync(join(tmpdir(), 'mote-tcg-cost-'));
const SHORT = 2, LONG = 20;              // instructions a block, with its jmp

/** The floor with `code` (32-bit, at its entry) run before the power-off. */
function kernel(name: string, code: string): string {
  const floor = readFileSync(join(MOTE_ROOT, 'qemu/tools/floor.S'), 'utf8');
  if (!/^start:\n/m.test(floor)) throw new Error('qemu/tools/floor.S has no "start:" line to put code after');
  const s = join(dir, `${name}.S`), o = join(dir, `${name}.o`), elf = join(dir, `${name}.elf`);
  writeFileSync(s, floor.replace(/^start:\n/m, `start:\n${code}`));
  execFileSync('cc', ['-m64', '-c', s, '-o', o]);
  execFileSync('ld', ['-nostdlib', '-static', '-z', 'max-page-size=4096', '-T', join(MOTE_ROOT, 'qemu/tools/floor.ld'), '-o', elf, o]);
  return elf;
}

/** n blocks of k instructions; %esi points at scratch RAM (2 MiB). */
function blocks(n: number, k: number): string {
  const body = ['mov (%esi), %eax', 'add %eax, 4(%esi)', 'mov %ebx, 8(%esi)', 'xor 12(%esi), %ecx'];
  let out = '\tmov $0x200000, %esi\n\tjmp b0\n';
  for (let i = 0; i < n; i++) {
    out += `b${i}:\n`;
    for (let j = 0; j < k - 1; j++) out += `\t${body[j % body.length]}\n`;
    out += `\tjmp b${i + 1}\n`;
  }
  return out + `b${n}:\n`;
}

const perRound = 5;                      // the loop's instructions a turn
const loop = `\tmov $0x200000, %esi\n\tmov $${Math.ceil(loopInsns / perRound)}, %edi\n` +
  '1:\tmov (%esi), %eax\n\tadd %eax, 4(%esi)\n\txor 12(%esi), %ecx\n\tdec %edi\n\tjnz 1b\n';

const { path: hello } = await writeHello(dir);
const kernels = {
  floor: FLOOR,
  hello,
  blocks: kernel('blocks', blocks(nBlocks, SHORT)),
  longBlocks: kernel('long-blocks', blocks(nBlocks, LONG)),
  loop: kernel('loop', loop),
};
type Name = keyof typeof kernels;

/** A boot's translated blocks and instructions, and instructions run. */
function counts(path: string): { blocks: number; translated: number; run: number } {
  const log = join(dir, 'count.log');
  execFileSync(QEMU, ['-M', 'microvm', '-accel', 'tcg', '-m', '8M', '-kernel', path, '-nodefaults', '-no-user-config',
    '-display', 'none', '-monitor', 'none', '-serial', 'null', '-no-reboot', '-device', 'isa-debug-exit,iobase=0xf4,iosize=4',
    '-device', 'virtio-rng-device', '-d', 'in_asm,exec,nochain', '-D', log], { stdio: 'ignore' });
  const size = new Map<number, number>();
  const r = { blocks: 0, translated: 0, run: 0 };
  let block: number | undefined;
  for (const line of readFileSync(log, 'latin1').split('\n')) {
    if (line.startsWith('IN:')) { block = 0; r.blocks++; continue; }
    if (block !== undefined && line.startsWith('0x')) { block++; r.translated++; continue; }
    if (!line.startsWith('Trace')) continue;
    const pc = parseInt(line.split('[')[1]!.split('/')[1]!, 16);
    if (block !== undefined) size.set(pc, block);
    block = undefined;
    r.run += size.get(pc) ?? 1;
  }
  rmSync(log, { force: true });
  return r;
}

const wall = Object.fromEntries(Object.keys(kernels).map((k) => [k, [] as number[]])) as Record<Name, number[]>;
const names = Object.keys(kernels) as Name[];
for (let i = 0; i < runs; i++) {
  for (let j = 0; j < names.length; j++) {
    const name = names[(i + j) % names.length]!;
    const r = await bootImage(kernels[name], { memory: 8 << 20, machine: 'microvm', accel: 'tcg', stdio: 'pipe', timeoutMs: 20_000, validate: false });
    if (r.status !== 0) throw new Error(`${name} failed: status ${r.status}\n${r.output}`);
    wall[name].push(r.wallMs);
  }
}
/** Median over rounds of a kernel's wall time minus the floor's, ms. */
const over = (name: Name) => median(wall[name].map((ms, i) => ms - wall.floor[i]!));

const short = over('blocks'), long = over('longBlocks');
const perInsnTranslated = (long - short) / (nBlocks * (LONG - SHORT));      // ms
const perBlock = short / nBlocks - SHORT * perInsnTranslated;                // ms, besides its instructions
const perInsnRun = over('loop') / loopInsns;                                 // ms
const c = { hello: counts(hello), floor: counts(FLOOR) };
const extra = { blocks: c.hello.blocks - c.floor.blocks, translated: c.hello.translated - c.floor.translated, run: c.hello.run - c.floor.run };
const translation = extra.blocks * perBlock + extra.translated * perInsnTranslated, execution = extra.run * perInsnRun;
const excess = over('hello');
rmSync(dir, { recursive: true, force: true });

const ms = (x: number) => `${x.toFixed(1)} ms`;
console.log(`microvm, TCG, ${runs} rounds; medians of each kernel's wall time minus the floor's in the same round (floor ${ms(median(wall.floor))})`);
console.log(`  ${nBlocks} blocks of ${SHORT} instructions: ${ms(short)}; of ${LONG}: ${ms(long)}; a ${loopInsns}-instruction loop: ${ms(over('loop'))}`);
console.log(`  a new block: ${(perBlock * 1000).toFixed(2)} µs, and ${(perInsnTranslated * 1e6).toFixed(0)} ns per instruction in it; ` +
  `an instruction run: ${(perInsnRun * 1e6).toFixed(2)} ns`);
console.log(`hello over the floor: ${extra.blocks} blocks (${extra.translated} instructions) translated, ${extra.run} instructions run`);
console.log(`  measured ${ms(excess)} (ratio ${median(wall.hello.map((x, i) => x / wall.floor[i]!)).toFixed(2)}); ` +
  `at these rates translation ${ms(translation)}, execution ${ms(execution)}, the rest ${ms(excess - translation - execution)}`);
