// Writing outputs whole or not at all: a temp file beside the target, then a
// rename, so a failed build never leaves a partial image behind.
import { existsSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './errors.ts';

export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  if (existsSync(path) && statSync(path).isDirectory()) throw new CliError(`${path} is a directory: give a file name to write`);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // it was never created
    }
    throw e;
  }
}
