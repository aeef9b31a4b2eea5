// Packing: resolve the app (resolve-app.ts), bundle it (bundle.ts), compile
// each module (bytecode.ts), then write the image: the boot layer with a tar
// payload of manifest.json and the modules. `mote build` calls packApp.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PLATFORM_ABI, type Manifest } from '../kernel/platform.ts';
import { bundle, ENTRY_MODULE, type Bundle } from './bundle.ts';
import { compileManifest, compileModule } from './bytecode.ts';
import { BuildError, InputError, SetupError } from './errors.ts';
import { footprintPath, readFootprint } from './footprint.ts';
import { FORMAT_VERSION, writeImage } from './image.ts';
import { BOOT_LAYER, KERNEL_ENTRY, MOTE_ROOT } from './paths.ts';
import { resolveApp } from './resolve-app.ts';
import { measureStartNeed, startsNetwork, withStartNeed } from './start-need.ts';
import { writeTar } from './tar.ts';

// Importers outside the builder (tests, benches) find these here.
export { BOOT_LAYER, MOTE_ROOT } from './paths.ts';
export { bundleApp } from './bundle.ts';
export { compileModule } from './bytecode.ts';
export { resolveApp } from './resolve-app.ts';

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
  /** Each module's source map, for IMAGE.map beside the image (source-maps.ts). */
  maps: Bundle['maps'];
  /** The modules' code in load order, as the map file's digest covers it. */
  modules: Bundle['files'];
}

/** What made the image, for `inspect`: no clock, no paths, so builds repeat. */
async function buildInfo(bootLayer: Uint8Array): Promise<Record<string, string>> {
  const esbuild = await import('esbuild');
  const pkg = JSON.parse(readFileSync(join(MOTE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return {
    mote: pkg.version,
    esbuild: esbuild.version,
    bootLayer: createHash('sha256').update(bootLayer).digest('hex').slice(0, 16),
    // The platform ABI the image's kernel speaks: mote run checks it (hosted/wasm/run.ts).
    platformAbi: String(PLATFORM_ABI),
  };
}

export async function packApp(opts: PackOptions): Promise<Packed> {
  const app = resolveApp(opts.app);
  if (opts.typecheck) {
    const { typecheck } = await import('./typecheck.ts');
    const diagnostics = typecheck(app.entry, KERNEL_ENTRY);
    if (diagnostics.length) {
      throw new BuildError(`type check failed with ${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'}`, diagnostics);
    }
  }
  const bundled = await bundle(app.entry, { minify: opts.minify ?? true });
  const bootLayer = opts.bootLayer ?? BOOT_LAYER;
  if (!existsSync(bootLayer)) throw new SetupError(`no boot layer at ${bootLayer}: run \`npm run build\` first`);
  const bootBytes = readFileSync(bootLayer);
  try {
    writeImage(bootBytes, new Uint8Array(0)); // a dry run: is there a payload segment to fill?
  } catch (e) {
    throw new InputError(`${bootLayer} is not a mote boot layer: ${(e as Error).message}`);
  }
  const footprint = footprintPath(bootLayer);
  const boot = footprint && existsSync(footprint) ? readFootprint(footprint) : undefined;
  const manifest: Manifest = {
    format: FORMAT_VERSION,
    name: app.name,
    version: app.version,
    entry: ENTRY_MODULE,
    modules: bundled.modules,
    ...(app.memory ? { memory: app.memory } : {}),
    ...(app.net ? { net: app.net } : {}),
    ...(app.env ? { env: app.env } : {}),
    ...(app.console ? { console: app.console } : {}),
    ...(Object.keys(bundled.webApis).length ? { webApis: bundled.webApis } : {}),
    build: await buildInfo(bootBytes),
    ...(boot ? { boot } : {}),
  };
  const compiler = join(dirname(bootLayer), 'mote-qjsc');
  const modules: Array<[string, Uint8Array]> = [
    ...bundled.files,
    ...bundled.files.map(([name, code]): [string, Uint8Array] => [`${name}.qbc`, compileModule(compiler, name, code)]),
  ];
  const withManifest = (m: Manifest): Array<[string, Uint8Array]> => {
    const json = new TextEncoder().encode(JSON.stringify(m, null, 2) + '\n');
    return [['manifest.json', json], ['manifest.json.qbc', compileManifest(compiler, json)], ...modules];
  };
  // The heap it needs to start is measured on the image as it would be without it (start-need.ts).
  const start = await measureStartNeed(writeImage(bootBytes, await writeTar(withManifest(manifest))), startsNetwork(bundled.files));
  const measured = withStartNeed(manifest, start);
  const files = withManifest(measured);
  const image = writeImage(bootBytes, await writeTar(files));
  return { image, manifest: measured, files, maps: bundled.maps, modules: bundled.files };
}
