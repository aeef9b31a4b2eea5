// Helpers the commands share.
import { readFileSync, statSync } from 'node:fs';
import { CliError } from '../errors.ts';

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
