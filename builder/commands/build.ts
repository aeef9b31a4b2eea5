// mote build [APP] -o IMAGE
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError } from '../errors.ts';
import { checkReplaceable, writeFileAtomic } from '../files.ts';
import { packApp } from '../pack.ts';
import { writeSourceMaps } from '../source-maps.ts';
import { kib } from '../size.ts';

export interface BuildFlags {
  output?: string;
  typecheck?: boolean;
  minify: boolean;
  bootLayer?: string;
  json?: boolean;
}

export async function buildCommand(app: string | undefined, flags: BuildFlags): Promise<number> {
  if (flags.output) checkReplaceable(resolve(flags.output));
  const packed = await packApp({ app: app ?? '.', minify: flags.minify, typecheck: flags.typecheck, bootLayer: flags.bootLayer });
  const out = resolve(flags.output ?? `${packed.manifest.name.replace(/[^\w.-]+/g, '-')}.img`);
  const dir = dirname(out);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`cannot write ${flags.output}: no such directory ${dir}`);
  checkReplaceable(out);
  writeFileAtomic(out, packed.image);
  // Beside the image, never in it: run and boot map the guest's stack frames with it.
  writeSourceMaps(out, packed.maps, packed.modules);
  const { manifest } = packed;
  if (flags.json) {
    process.stdout.write(JSON.stringify({ image: out, bytes: packed.image.length, manifest }, null, 2) + '\n');
  } else {
    const payload = manifest.modules.reduce((n, m) => n + m.size, 0);
    process.stdout.write(
      `built ${flags.output ?? out}: ${kib(packed.image.length)} (${manifest.modules.length} module${manifest.modules.length === 1 ? '' : 's'}, ${kib(payload)} of code)\n`,
    );
  }
  return 0;
}
