// What bench/boot.ts times, for any bench that compares a boot against
// hello's and the floor's: the hello image, the floor kernel, and QEMU's wall
// time from launch to exit for one boot.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packApp, MOTE_ROOT } from '../builder/pack.ts';
import { ImageError } from '../builder/image.ts';
import { bootImage, type Machine } from '../builder/qemu.ts';
import { Exit } from '../kernel/platform.ts';

/** An empty kernel that powers off at once (qemu/build/floor.elf). */
export const FLOOR = join(MOTE_ROOT, 'qemu/build/floor.elf');

/** Packs images/hello into `dir`/hello.img (on `bootLayer`, by default this
 *  checkout's); its path and size. */
export async function writeHello(dir: string, bootLayer?: string): Promise<{ path: string; bytes: number }> {
  const { image } = await packApp({ app: join(MOTE_ROOT, 'images/hello'), ...(bootLayer ? { bootLayer } : {}) });
  const path = join(dir, 'hello.img');
  writeFileSync(path, image);
  return { path, bytes: image.length };
}

/** QEMU's wall time for one boot of `kernel` at 8 MiB, launch to exit. A
 *  mote image (`isMote`) must exit 0; the floor has no status to check. */
export async function wallMs(kernel: string, machine: Machine, accel: 'kvm' | 'tcg', isMote = kernel !== FLOOR): Promise<number> {
  const r = await bootImage(kernel, { memory: 8 << 20, machine, accel, stdio: 'pipe', timeoutMs: 20_000, validate: false });
  if (isMote && r.status !== 0) throw new Error(`${kernel} failed: status ${r.status}\n${r.output}`);
  return r.wallMs;
}

async function helloRuns(hello: string, memory: number, machine: Machine): Promise<boolean> {
  try {
    const r = await bootImage(hello, { memory, machine, accel: 'tcg', stdio: 'pipe', timeoutMs: 20_000 });
    return r.status === 0 && r.output === 'hello from mote\n';
  } catch (e) {
    if (e instanceof ImageError && e.status === Exit.TooLittleMemory) return false; // refused before boot
    throw e;
  }
}

/** Smallest RAM, in 64 KiB steps, at which hello prints its line and exits 0. */
export async function smallestHelloMemory(hello: string, machine: Machine): Promise<number> {
  let lo = 1 << 20, hi = 8 << 20; // lo fails (the image alone is near 1 MiB above 1 MiB), hi runs
  if (!(await helloRuns(hello, hi, machine))) throw new Error(`hello does not run at 8 MiB on ${machine}`);
  while (hi - lo > 64 << 10) {
    const mid = Math.round((lo + hi) / 2 / 65536) * 65536;
    if (await helloRuns(hello, mid, machine)) hi = mid; else lo = mid;
  }
  return hi;
}
