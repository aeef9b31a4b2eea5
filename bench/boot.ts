// Boot-layer figures for the closing note: image size, the smallest -m at which
// hello runs, and QEMU's wall time for hello against the floor (an empty kernel
// that powers off at once), medians of N runs in the same process.
//   npx vite-node bench/boot.ts [--runs 10]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOTE_ROOT } from '../builder/pack.ts';
import { ImageError } from '../builder/image.ts';
import { bootImage, kvmWorks, type Machine } from '../builder/qemu.ts';
import { Exit } from '../kernel/platform.ts';
import { FLOOR as floor, wallMs, writeHello } from './boot-times.ts';
import { median } from './stats.ts';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 10;
const out = join(MOTE_ROOT, 'bench/results');
mkdirSync(out, { recursive: true });

const { path: hello, bytes: imageBytes } = await writeHello(out);

async function runsOk(memory: number, machine: Machine): Promise<boolean> {
  try {
    const r = await bootImage(hello, { memory, machine, accel: 'tcg', stdio: 'pipe', timeoutMs: 20_000 });
    return r.status === 0 && r.output === 'hello from mote\n';
  } catch (e) {
    if (e instanceof ImageError && e.status === Exit.TooLittleMemory) return false; // refused before boot
    throw e;
  }
}

/** Smallest RAM, in 64 KiB steps, at which hello prints its line and exits 0. */
async function smallestMemory(machine: Machine): Promise<number> {
  let lo = 1 << 20, hi = 8 << 20; // lo fails (the image alone is near 1 MiB above 1 MiB), hi runs
  if (!(await runsOk(hi, machine))) throw new Error(`hello does not run at 8 MiB on ${machine}`);
  while (hi - lo > 64 << 10) {
    const mid = Math.round((lo + hi) / 2 / 65536) * 65536;
    if (await runsOk(mid, machine)) hi = mid; else lo = mid;
  }
  return hi;
}

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
  const min = await smallestMemory(machine);
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
    report[`wall_${accel}_${machine}`] = { floorMs: f, helloMs: h, ratio: h / f };
    console.log(`${accel} ${machine}: hello ${h.toFixed(1)} ms, floor ${f.toFixed(1)} ms, ratio ${(h / f).toFixed(2)} (median of ${runs})`);
  }
}
writeFileSync(join(out, 'boot.json'), JSON.stringify(report, null, 2) + '\n');
