// Helpers the commands share.
import { readFileSync, statSync } from 'node:fs';
import { CliError, CliExit } from '../errors.ts';
import type { PortMapping } from '../hosted/types.ts';
import { formatPublish } from '../publish.ts';

/** The bytes of an image file, or a one-line error saying why not. */
export function readImageFile(path: string): Uint8Array {
  try {
    if (statSync(path).isDirectory()) throw new CliError(`${path} is a directory, not an image`);
    return readFileSync(path);
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`no such image: ${path}`);
    if (code === 'EACCES') throw new CliError(`cannot read ${path}: permission denied`);
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

/** `--net user|none` and `-p` as boot, run and budget take them. */
export interface NetFlags {
  net: 'user' | 'none';
  publish?: PortMapping[];
}

/** The network options a host takes; publishing a port without a network is
 *  a usage error. */
export function networkOptions(flags: NetFlags): { net: boolean; publish: PortMapping[] } {
  const publish = flags.publish ?? [];
  if (flags.net === 'none' && publish.length > 0) {
    throw new CliError(`-p ${formatPublish(publish[0]!)} with --net none: a published port needs the network; drop one of them`, CliExit.Usage);
  }
  return { net: flags.net !== 'none', publish };
}
