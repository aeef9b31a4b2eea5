// Resolving the app: from what `mote build` was given (a directory or an
// entry file) to its entry file, name, version and package.json "mote"
// settings (declared memory, static address, environment defaults).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Manifest } from '../kernel/platform.ts';
import { InputError } from './errors.ts';
import { memoryNeeds, type MemoryField } from './memory-needs.ts';
import { netConfig } from './net-config.ts';
import { envDefaults } from './env-config.ts';

export interface AppInfo {
  entry: string;
  name: string;
  version: string;
  memory?: Manifest['memory'];
  net?: Manifest['net'];
  env?: Manifest['env'];
}

/** Find the entry file and name of an app given as a directory or a file. */
export function resolveApp(app: string): AppInfo {
  const path = resolve(app);
  if (!existsSync(path)) throw new InputError(`no such app: ${app}`);
  if (statSync(path).isFile()) return { entry: path, name: basename(path).replace(/\.[cm]?[jt]s$/, ''), version: '0.0.0' };
  const pkgPath = join(path, 'package.json');
  let info: Omit<AppInfo, 'entry'> = { name: basename(path), version: '0.0.0' };
  if (existsSync(pkgPath)) {
    let pkg: { name?: string; version?: string; mote?: { entry?: string; memory?: MemoryField; net?: unknown; env?: unknown } };
    try {
      pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    } catch (e) {
      throw new InputError(`${pkgPath}: not valid JSON (${(e as Error).message})`);
    }
    if (pkg.mote !== undefined && (pkg.mote === null || typeof pkg.mote !== 'object' || Array.isArray(pkg.mote))) {
      throw new InputError(`${pkgPath}: "mote" must be an object, such as {"entry": "src/main.ts", "memory": {"min": "1M", "full": "4M"}}`);
    }
    if (pkg.mote) {
      info = { name: pkg.name ?? info.name, version: pkg.version ?? info.version, memory: memoryNeeds(pkg.mote.memory, pkgPath), net: netConfig(pkg.mote.net, pkgPath), env: envDefaults(pkg.mote.env, pkgPath) };
      if (pkg.mote.entry) {
        const entry = join(path, pkg.mote.entry);
        if (!existsSync(entry)) throw new InputError(`${pkgPath}: "mote.entry" names ${pkg.mote.entry}, which does not exist`);
        return { entry, ...info };
      }
    }
  }
  for (const candidate of ['main.ts', 'index.ts', 'main.js', 'index.js']) {
    if (existsSync(join(path, candidate))) return { entry: join(path, candidate), ...info };
  }
  throw new InputError(`${app}: no entry found (give package.json a "mote": {"entry": ...} field, or add main.ts)`);
}

