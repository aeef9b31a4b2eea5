// The packer: bundle an app (bundle.ts), then write the image (boot layer +
// tar payload with manifest.json). The CLI's `mote build` calls packApp.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { BootFootprint, Manifest } from '../kernel/platform.ts';
import { bundle, ENTRY_MODULE } from './bundle.ts';
import { CliError } from './errors.ts';
import { FORMAT_VERSION, writeImage } from './image.ts';
import { parseSize } from './size.ts';
import { writeTar } from './tar.ts';

import { BOOT_LAYER, KERNEL_ENTRY, MOTE_ROOT } from './paths.ts';

// Importers outside the builder (tests, benches) find these here.
export { BOOT_LAYER, MOTE_ROOT } from './paths.ts';
export { bundleApp } from './bundle.ts';

export interface PackOptions {
  /** An app directory (package.json with a "mote" field, or index.ts/main.ts) or an entry file. */
  app: string;
  /** Boot layer to use; defaults to the one `npm run build` makes. */
  bootLayer?: string;
  minify?: boolean;
  /** Type-check the app with TypeScript first; type errors fail the build. */
  typecheck?: boolean;
}

export interface Packed {
  image: Uint8Array;
  manifest: Manifest;
  files: Array<[string, Uint8Array]>;
}

interface AppInfo { entry: string; name: string; version: string; memory?: Manifest['memory']; net?: Manifest['net'] }

type MemoryField = { min?: number | string; full?: number | string };

/** package.json may give memory needs as bytes or as sizes such as "12M". */
function memoryNeeds(m: MemoryField | undefined, where: string): Manifest['memory'] {
  if (!m) return undefined;
  const size = (v: number | string | undefined, key: string) => {
    if (v === undefined) return undefined;
    if (typeof v === 'number' && v > 0) return v;
    try {
      return parseSize(String(v));
    } catch {
      throw new CliError(`${where}: "mote.memory.${key}" is not a size: ${JSON.stringify(v)}`);
    }
  };
  const out: NonNullable<Manifest['memory']> = {};
  const min = size(m.min, 'min');
  const full = size(m.full, 'full');
  if (min !== undefined && full !== undefined && min > full) {
    throw new CliError(`${where}: "mote.memory.min" (${JSON.stringify(m.min)}) is more than "mote.memory.full" (${JSON.stringify(m.full)}): min is what the app needs to start, full what it needs to run fully`);
  }
  if (min !== undefined) out.min = min;
  if (full !== undefined) out.full = full;
  return out;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const NET_EXAMPLE = '{"address": "10.0.2.15", "netmask": "255.255.255.0", "gateway": "10.0.2.2"}';

/** package.json's "mote.net": a static IPv4 address instead of DHCP. */
function netConfig(n: unknown, where: string): Manifest['net'] {
  if (n === undefined) return undefined;
  if (n === null || typeof n !== 'object' || Array.isArray(n)) throw new CliError(`${where}: "mote.net" must be an object, such as ${NET_EXAMPLE}`);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(n)) {
    if (key !== 'address' && key !== 'netmask' && key !== 'gateway') throw new CliError(`${where}: "mote.net.${key}" is not a setting: give address, netmask (default 255.255.255.0) and gateway, as in ${NET_EXAMPLE}`);
    if (typeof value !== 'string' || !IPV4.test(value)) throw new CliError(`${where}: "mote.net.${key}" must be an IPv4 address such as "10.0.2.15", got ${JSON.stringify(value)}`);
    out[key] = value;
  }
  if (!out.address) throw new CliError(`${where}: "mote.net" needs an "address", as in ${NET_EXAMPLE}`);
  return out as Manifest['net'];
}

/** Find the entry file and name of an app given as a directory or a file. */
export function resolveApp(app: string): AppInfo {
  const path = resolve(app);
  if (!existsSync(path)) throw new CliError(`no such app: ${app}`);
  if (statSync(path).isFile()) return { entry: path, name: basename(path).replace(/\.[cm]?[jt]s$/, ''), version: '0.0.0' };
  const pkgPath = join(path, 'package.json');
  let info: Omit<AppInfo, 'entry'> = { name: basename(path), version: '0.0.0' };
  if (existsSync(pkgPath)) {
    let pkg: { name?: string; version?: string; mote?: { entry?: string; memory?: MemoryField; net?: unknown } };
    try {
      pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    } catch (e) {
      throw new CliError(`${pkgPath}: not valid JSON (${(e as Error).message})`);
    }
    if (pkg.mote !== undefined && (pkg.mote === null || typeof pkg.mote !== 'object' || Array.isArray(pkg.mote))) {
      throw new CliError(`${pkgPath}: "mote" must be an object, such as {"entry": "src/main.ts", "memory": {"min": "1M", "full": "4M"}}`);
    }
    if (pkg.mote) {
      info = { name: pkg.name ?? info.name, version: pkg.version ?? info.version, memory: memoryNeeds(pkg.mote.memory, pkgPath), net: netConfig(pkg.mote.net, pkgPath) };
      if (pkg.mote.entry) {
        const entry = join(path, pkg.mote.entry);
        if (!existsSync(entry)) throw new CliError(`${pkgPath}: "mote.entry" names ${pkg.mote.entry}, which does not exist`);
        return { entry, ...info };
      }
    }
  }
  for (const candidate of ['main.ts', 'index.ts', 'main.js', 'index.js']) {
    if (existsSync(join(path, candidate))) return { entry: join(path, candidate), ...info };
  }
  throw new CliError(`${app}: no entry found (give package.json a "mote": {"entry": ...} field, or add main.ts)`);
}

/** What made the image, for `inspect`: no clock, no paths, so builds repeat. */
async function buildInfo(bootLayer: Uint8Array): Promise<Record<string, string>> {
  const esbuild = await import('esbuild');
  const pkg = JSON.parse(readFileSync(join(MOTE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return {
    mote: pkg.version,
    esbuild: esbuild.version,
    bootLayer: createHash('sha256').update(bootLayer).digest('hex').slice(0, 16),
  };
}

/** QuickJS bytecode for one module, from the compiler built beside the boot
 *  layer out of the same QuickJS sources. The boot layer loads `NAME.qbc`
 *  instead of parsing NAME; hosted runs read the source. */
export function compileModule(compiler: string, name: string, code: Uint8Array): Uint8Array {
  if (!existsSync(compiler)) throw new CliError(`no module compiler at ${compiler}: run \`npm run build\` first`);
  const r = spawnSync(compiler, [name], { input: code, maxBuffer: 1 << 30 });
  if (r.status !== 0) {
    const why = r.error ? r.error.message : r.stderr.toString().trim();
    throw new CliError(`QuickJS could not compile ${name}: ${why}`);
  }
  return r.stdout;
}

function readFootprint(path: string): BootFootprint {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BootFootprint;
  } catch (e) {
    throw new CliError(`${path} (the boot layer's footprint) is not valid JSON: ${(e as Error).message}; rebuild it with \`npm run build\``);
  }
}

export async function packApp(opts: PackOptions): Promise<Packed> {
  const app = resolveApp(opts.app);
  if (opts.typecheck) {
    const { typecheck } = await import('./typecheck.ts');
    const diagnostics = typecheck(app.entry, KERNEL_ENTRY);
    if (diagnostics.length) {
      throw new CliError(`type check failed with ${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'}`, 1, diagnostics);
    }
  }
  const bundled = await bundle(app.entry, { minify: opts.minify ?? true });
  const bootLayer = opts.bootLayer ?? BOOT_LAYER;
  if (!existsSync(bootLayer)) throw new CliError(`no boot layer at ${bootLayer}: run \`npm run build\` first`);
  const bootBytes = readFileSync(bootLayer);
  try {
    writeImage(bootBytes, new Uint8Array(0)); // a dry run: is there a payload segment to fill?
  } catch (e) {
    throw new CliError(`${bootLayer} is not a mote boot layer: ${(e as Error).message}`);
  }
  const footprintPath = bootLayer.replace(/\.elf$/, '.json');
  const boot = footprintPath !== bootLayer && existsSync(footprintPath) ? readFootprint(footprintPath) : undefined;
  const manifest: Manifest = {
    format: FORMAT_VERSION,
    name: app.name,
    version: app.version,
    entry: ENTRY_MODULE,
    modules: bundled.modules,
    ...(app.memory ? { memory: app.memory } : {}),
    ...(app.net ? { net: app.net } : {}),
    build: await buildInfo(bootBytes),
    ...(boot ? { boot } : {}),
  };
  const compiler = join(dirname(bootLayer), 'mote-qjsc');
  const files: Array<[string, Uint8Array]> = [
    ['manifest.json', new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n')],
    ...bundled.files,
    ...bundled.files.map(([name, code]): [string, Uint8Array] => [`${name}.qbc`, compileModule(compiler, name, code)]),
  ];
  const image = writeImage(bootBytes, await writeTar(files));
  return { image, manifest, files };
}
