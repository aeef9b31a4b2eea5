// Writing outputs whole or not at all: a temp file beside the target, then a
// rename, so a failed build never leaves a partial image behind.
import { existsSync, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
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

/** `mkdir -p`, one level at a time. Node's own recursive mkdir spins forever
 *  where a missing directory's parent answers ENOENT though it exists (under
 *  /proc); here that mkdir fails with its error. */
export function makeDirs(path: string): void {
  const missing: string[] = [];
  for (let p = resolve(path); !existsSync(p); p = dirname(p)) {
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (let i = missing.length - 1; i >= 0; i--) mkdirSync(missing[i]);
}
