// Boot-layer figures for the closing note: image size, the smallest -m at which
// hello runs, and QEMU's wall time for hello against the floor (an empty kernel
// that powers off at once), medians of N runs in the same process.
//   npx vite-node bench/boot.ts [--runs 10]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOTE_ROOT } from '../builder/pack.ts';
import { kvmWorks, type Machine } from '../builder/qemu.ts';
import { FLOOR as floor, smallestHelloMemory, wallMs, writeHello } from './boot-times.ts';
import { median } from './stats.ts';
import { readFlags } from './flags.ts';

const runs = readFlags('usage: npx vite-node bench/boot.ts [--runs 10]\n  --runs N   boots of hello and of the floor, alternating; medians are reported', ['runs']).number('runs', 10);
const out = join(MOTE_ROOT, 'bench/results');
mkdirSync(out, { recursive: true });

const { path: hello, bytes: imageBytes } = await writeHello(out);

/** Floor and hello alternate, so a noisy stretch of the machine hits both alike. */
async function wallTimes(machine: Machine, accel: 'kvm' | 'tcg'): Promise<{ floor: number[]; hello: number[] }> {
  const times = { floor: [] as number[], hello: [] as number[] };
  for (let i = 0; i < runs; i++) {
    times.floor.push(await wallMs(floor, machine, accel));
    times.hello.push(await wallMs(hello, machine, accel));
  }
  return times;
}

const report: Record<string, unknown> = { imageBytes, runs };
console.log(`image size: ${imageBytes} bytes (${(imageBytes / 1024).toFixed(0)} KiB)`);
for (const machine of ['microvm', 'pc'] as const) {
  const min = await smallestHelloMemory(hello, machine);
  report[`minMemory_${machine}`] = min;
  console.log(`smallest -m for hello on ${machine}: ${min / 1024} KiB`);
}
const accels: Array<'kvm' | 'tcg'> = (await kvmWorks()) ? ['tcg', 'kvm'] : ['tcg'];
if (accels.length === 1) console.log('KVM: not usable for this guest here (probe failed); TCG only');
for (const accel of accels) {
  for (const machine of ['microvm', 'pc'] as const) {
    const t = await wallTimes(machine, accel);
    const f = median(t.floor);
    const h = median(t.hello);
    // Each hello against the floor run just before it: issue 11's target holds in every run, not on average.
    const pairs = t.hello.map((x, i) => x / t.floor[i]!);
    const worst = Math.max(...pairs);
    report[`wall_${accel}_${machine}`] = { floorMs: f, helloMs: h, ratio: h / f, pairRatioMedian: median(pairs), pairRatioWorst: worst };
    console.log(`${accel} ${machine}: hello ${h.toFixed(1)} ms, floor ${f.toFixed(1)} ms, ratio ${(h / f).toFixed(2)} (median of ${runs}); ` +
      `per run ${median(pairs).toFixed(2)} median, ${worst.toFixed(2)} worst`);
  }
}
writeFileSync(join(out, 'boot.json'), JSON.stringify(report, null, 2) + '\n');
