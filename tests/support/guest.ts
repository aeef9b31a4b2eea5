// Test helper: build an app into an image in a temp folder and boot it in QEMU
// for real (KVM where it can run the guest, TCG otherwise).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packApp } from '../../builder/pack.ts';
import { bootImage, type BootOptions, type BootResult } from '../../builder/qemu.ts';

export const workDir = mkdtempSync(join(tmpdir(), 'mote-test-'));

export async function buildImage(app: string, name = 'app'): Promise<string> {
  const { image } = await packApp({ app });
  const path = join(workDir, `${name}-${Math.random().toString(36).slice(2)}.img`);
  writeFileSync(path, image);
  return path;
}

export function boot(image: string, opts: Partial<BootOptions> = {}): Promise<BootResult> {
  return bootImage(image, { memory: 8 << 20, timeoutMs: 60_000, stdio: 'pipe', ...opts });
}
