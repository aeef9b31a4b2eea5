// Resolving the app: from what `mote build` was given (a directory or an
// entry file) to its entry file, name, version and package.json "mote"
// settings (declared memory, static address, environment defaults).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Manifest } from '../kernel/platform.ts';
import { InputError } from './errors.ts';
import { MOTE_EXAMPLE, moteSettings } from './mote-field.ts';

export interface AppInfo {
  entry: string;
  name: string;
  version: string;
  memory?: Manifest['memory'];
  net?: Manifest['net'];
  env?: Manifest['env'];
  console?: Manifest['console'];
}

/** Find the entry file and name of an app given as a directory or a file. */
export function resolveApp(app: string): AppInfo {
  const path = resolve(app);
  if (!existsSync(path)) throw new InputError(`no such app: ${app}`);
  if (statSync(path).isFile()) return { entry: path, name: basename(path).replace(/\.[cm]?[jt]s$/, ''), version: '0.0.0' };
  const pkgPath = join(path, 'package.json');
  let info: Omit<AppInfo, 'entry'> = { name: basename(path), version: '0.0.0' };
  if (existsSync(pkgPath)) {
    let pkg: unknown;
    try {
      pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    } catch (e) {
      throw new InputError(`${pkgPath}: not valid JSON (${(e as Error).message})`);
    }
    if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg)) throw new InputError(`${pkgPath}: must be a JSON object, such as {"name": "app", "mote": ${MOTE_EXAMPLE}}`);
    const { name, version, mote } = pkg as Record<string, unknown>;
    for (const [key, value] of Object.entries({ name, version })) {
      if (value !== undefined && typeof value !== 'string') throw new InputError(`${pkgPath}: "${key}" must be a string, got ${JSON.stringify(value)}`);
    }
    if (mote !== undefined) {
      const { entry, ...settings } = moteSettings(mote, pkgPath);
      info = { name: (name as string | undefined) ?? info.name, version: (version as string | undefined) ?? info.version, ...settings };
      if (entry) {
        const entryPath = join(path, entry);
        if (!existsSync(entryPath)) throw new InputError(`${pkgPath}: "mote.entry" names ${entry}, which does not exist`);
        return { entry: entryPath, ...info };
      }
    }
  }
  for (const candidate of ['main.ts', 'index.ts', 'main.js', 'index.js']) {
    if (existsSync(join(path, candidate))) return { entry: join(path, candidate), ...info };
  }
  throw new InputError(`${app}: no entry found (give package.json a "mote": {"entry": ...} field, or add main.ts)`);
}

