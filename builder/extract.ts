// `inspect --extract`: write an image's payload (manifest.json and the
// modules, by their names) into a directory, all of it or nothing. The
// directory must be new or empty, and no name may point outside it.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from './errors.ts';
import { makeDirs } from './files.ts';
import type { Image } from './image.ts';

export interface Extracted {
  /** The directory written, absolute. */
  root: string;
  /** The payload's file names, as written under root. */
  files: string[];
}

/** Writes `img`'s payload files under `dir` (as the user named it, for messages). */
export function extractPayload(img: Image, dir: string): Extracted {
  const root = resolve(dir);
  if (existsSync(root) && !statSync(root).isDirectory()) throw new InputError(`cannot extract into ${dir}: it exists and is not a directory`);
  if (existsSync(root) && readdirSync(root).length > 0) throw new InputError(`cannot extract into ${dir}: it is not empty (nothing was written)`);
  // Every name is checked before the first write, so a bad one writes nothing.
  const targets = [...img.files].map(([name, data]) => {
    const target = resolve(root, name);
    if (!target.startsWith(root + '/')) throw new InputError(`refusing to extract '${name}': it points outside ${dir}`);
    return { target, data };
  });
  for (const { target, data } of targets) {
    makeDirs(dirname(target));
    writeFileSync(target, data);
  }
  return { root, files: [...img.files.keys()] };
}
