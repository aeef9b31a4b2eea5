// Where hello's boot time goes, by wall clock: hello packed on variants of
// the boot layer that power off after each step of the start-up (make -C
// qemu boot-steps; src/boot_step.h), booted in turns with the floor
// and hello itself (microvm, TCG, 8 MiB, as bench/boot.ts times them). Each
// step's figure is the median of its variant's time less the one before it,
// and its share of hello's excess over the floor. boot-profile.ts counts the
// same steps in guest instructions; this measures what they cost in time.
//   npx vite-node bench/boot-steps.ts [--runs 30] [--machine microvm|pc]
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOTE_ROOT } from '../builder/pack.ts';
import { FLOOR, wallMs, writeHello } from './boot-times.ts';
import { median } from './stats.ts';
import { readFlags } from './flags.ts';

const flags = readFlags(
  'usage: npx vite-node bench/boot-steps.ts [--runs 30] [--machine microvm|pc]\n' +
  '  --runs N      rounds; each boots the floor, every variant and hello once\n' +
  '  --machine M   microvm (default) or pc\n' +
  'Needs make -C qemu boot-steps (the variants, in qemu/build/boot-steps/N/).',
  ['runs', 'machine'],
);
const runs = flags.number('runs', 30);
const machine = flags.text('machine', 'microvm');
if (machine !== 'microvm' && machine !== 'pc') {
  console.error(`boot-steps: --machine is microvm or pc, not ${machine}`);
  process.exit(2);
}

/** What each variant runs past the one before (BOOT_STEP in src/main.c, src/host.c). */
const STEPS = [
  'firmware to the memory map and the command line (main.c)',
  'the boot layer\'s checksum of its own code',
  'the payload\'s checks',
  'the heap and the clock',
  'JS_NewRuntime and JS_NewContext',
  'the platform object (host_api_install)',
  'the manifest and the modules\' bytecode read',
  'the modules evaluated (JS_EvalFunction)',
];
const dir = mkdtempSync(join(tmpdir(), 'mote-boot-steps-'));
const kernels: [string, string][] = [['floor', FLOOR]];
for (let n = 1; n <= STEPS.length; n++) {
  const layer = join(MOTE_ROOT, `qemu/build/boot-steps/${n}/mote-boot.elf`);
  if (!existsSync(layer)) {
    console.error(`boot-steps: no ${layer} (make -C qemu boot-steps)`);
    process.exit(2);
  }
  mkdirSync(join(dir, String(n)));
  const { path } = await writeHello(join(dir, String(n)), layer);
  kernels.push([`step ${n}`, path]);
}
kernels.push(['hello', (await writeHello(dir)).path]);

const times = new Map<string, number[]>(kernels.map(([name]) => [name, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, path] of kernels) times.get(name)!.push(await wallMs(path, machine, 'tcg', name !== 'floor'));
}
const at = kernels.map(([name]) => median(times.get(name)!));
const excess = at[at.length - 1]! - at[0]!;
console.log(`hello on ${machine} under TCG: ${at[at.length - 1]!.toFixed(1)} ms, floor ${at[0]!.toFixed(1)} ms, ` +
  `excess ${excess.toFixed(1)} ms (ratio ${(at[at.length - 1]! / at[0]!).toFixed(2)}), medians of ${runs}`);
const rows = [...STEPS, 'the first turn to power-off'];
for (const [i, what] of rows.entries()) {
  const ms = at[i + 1]! - at[i]!;
  console.log(`  ${ms.toFixed(1).padStart(6)} ms ${((100 * ms) / excess).toFixed(0).padStart(4)}%  ${what}`);
}
