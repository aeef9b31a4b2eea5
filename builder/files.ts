// Writing outputs whole or not at all: a temp file beside the target, then a
// rename, so a failed build never leaves a partial image behind.
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from './errors.ts';

export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  if (existsSync(path) && statSync(path).isDirectory()) throw new InputError(`${path} is a directory: give a file name to write`);
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
    throw new InputError(`cannot write ${path}: ${reason(e)}`);
  }
}

/** An fs error's reason without the syscall and path Node appends
 *  ("EACCES: permission denied, open '/x/.y.tmp'" gives "permission denied"). */
export function reason(e: unknown): string {
  const m = /^[A-Z]+: ([^,]+),/.exec((e as Error)?.message ?? '');
  return m ? m[1] : String((e as Error)?.message ?? e);
}

/** Refuses to replace anything but an image (an ELF file) or an empty file:
 *  a slip of `-o` must not turn the app's own sources into an image. */
export function checkReplaceable(path: string): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    return; // nothing there (or no way to look): writing will say what is wrong
  }
  if (st.isDirectory()) return; // writeFileAtomic says so
  if (!st.isFile()) throw new InputError(`refusing to overwrite ${path}: it is not a regular file`);
  if (st.size === 0) return;
  const head = Buffer.alloc(4);
  try {
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, 4, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new InputError(`refusing to overwrite ${path}: cannot read it to check that it is an image (${reason(e)})`);
  }
  if (!head.equals(Buffer.from('\x7fELF', 'latin1'))) {
    throw new InputError(`refusing to overwrite ${path}: it is not an image (choose another -o, or remove it first)`);
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
      throw new InputError(`cannot create the directory ${missing[i]}: ${reason(e)}`);
    }
  }
}
