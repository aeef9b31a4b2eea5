// The boot layer's footprint: its own RAM figures and tunables, written by
// qemu/tools/footprint.sh beside the boot layer (build/mote-boot.json) from
// the ELF and include/param.h. Copied into every manifest.
import { readFileSync } from 'node:fs';
import type { BootFootprint } from '../kernel/platform.ts';
import { SetupError } from './errors.ts';

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

