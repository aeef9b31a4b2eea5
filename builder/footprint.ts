// The boot layer's footprint: its own RAM figures and tunables, written by
// qemu/tools/footprint.sh beside the boot layer (build/mote-boot.json) from
// the ELF and include/param.h. Copied into every manifest.
import { existsSync, readFileSync } from 'node:fs';
import type { BootFootprint } from '../kernel/platform.ts';
import { SetupError } from './errors.ts';
import { BOOT_LAYER } from './paths.ts';

/** The footprint file of a boot layer: NAME.json beside NAME.elf. */
export function footprintPath(bootLayer: string): string | undefined {
  const path = bootLayer.replace(/\.elf$/, '.json');
  return path === bootLayer ? undefined : path;
}

export function readFootprint(path: string): BootFootprint {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BootFootprint;
  } catch (e) {
    throw new SetupError(`${path} (the boot layer's footprint) is not valid JSON: ${(e as Error).message}; rebuild it with \`npm run build\``);
  }
}


let built: BootFootprint | undefined;

/** The footprint of the boot layer this checkout built: what a run assumes
 *  for a manifest that carries none (a payload packed without a boot layer,
 *  or with one that had no footprint beside it), so that hosted figures are
 *  the metal ones. The tunables in it (minHeap, heapReserve) come from
 *  qemu/include/param.h through footprint.sh, never from a copy here. */
export function builtFootprint(): BootFootprint {
  if (built) return built;
  const path = footprintPath(BOOT_LAYER)!;
  if (!existsSync(path)) throw new SetupError(`no boot layer footprint at ${path}: run \`npm run build\` first`);
  return (built = readFootprint(path));
}
