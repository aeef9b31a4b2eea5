// Writing outputs whole or not at all: a temp file beside the target, then a
// rename, so a failed build never leaves a partial image behind.
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
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
    throw new CliError(`cannot write ${path}: ${reason(e)}`);
  }
}

/** An fs error's reason without the syscall and path Node appends
 *  ("EACCES: permission denied, open '/x/.y.tmp'" gives "permission denied"). */
export function reason(e: unknown): string {
  const m = /^[A-Z]+: ([^,]+),/.exec((e as Error)?.message ?? '');
  return m ? m[1] : String((e as Error)?.message ?? e);
}

/** Refuses to replace a file that is not an image (ELF) or empty: a slip of
 *  `-o` must not turn the app's own sources into an image. */
export function checkReplaceable(path: string): void {
  let head: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      head = Buffer.alloc(4);
      head = head.subarray(0, readSync(fd, head, 0, 4, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return; // absent or unreadable: writing will say what is wrong
  }
  if (head.length > 0 && !head.equals(Buffer.from('\x7fELF', 'latin1'))) {
    throw new CliError(`refusing to overwrite ${path}: it is not an image (choose another -o, or remove it first)`);
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
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]);
    } catch (e) {
      throw new CliError(`cannot create the directory ${missing[i]}: ${reason(e)}`);
    }
  }
}
