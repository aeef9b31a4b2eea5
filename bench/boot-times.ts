// What bench/boot.ts times, for any bench that compares a boot against
// hello's and the floor's: the hello image, the floor kernel, and QEMU's wall
// time from launch to exit for one boot.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packApp, MOTE_ROOT } from '../builder/pack.ts';
import { bootImage, type Machine } from '../builder/qemu.ts';

/** An empty kernel that powers off at once (qemu/build/floor.elf). */
export const FLOOR = join(MOTE_ROOT, 'qemu/build/floor.elf');

/** Packs images/hello into `dir`/hello.img; its path and size. */
export async function writeHello(dir: string): Promise<{ path: string; bytes: number }> {
  const { image } = await packApp({ app: join(MOTE_ROOT, 'images/hello') });
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
