// The one bundling path. `mote build`, the tests and the benches bundle an
// app here, with the same esbuild options (sharedOptions), so what a test
// runs is what an image carries. esbuild loads on first use.
//
// Modules: esbuild splits the bundle at dynamic `import()`s, so the entry
// (main.js) and what it imports statically load first and each dynamically
// imported chunk is a module of its own (priorities.ts). Chunk names carry a
// content hash, so the same inputs give the same names and the same image.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { BuildOptions, Message } from 'esbuild';
import type { ManifestModule } from '../kernel/platform.ts';
import { BuildError, displayPath, type Diagnostic } from './errors.ts';
import { guestLimitsPlugin } from './guest-limits.ts';
import { KERNEL_ENTRY, PRELUDE } from './paths.ts';
import { loadOrder, modulePriorities } from './priorities.ts';
import { webApiBytes, webGlobals } from './web-globals.ts';
import { webVendorPlugin } from './web-vendor.ts';

/** The module the manifest names as the entry. */
export const ENTRY_MODULE = 'main.js';

/** How the app's code comes out:
 *  - 'modules': ES modules split at each dynamic `import()`: what images carry;
 *  - 'module': one ES module, dynamic imports inlined (to run under node);
 *  - 'script': one classic script (an IIFE), for a host without modules,
 *    such as a `node:vm` context. */
export type BundleShape = 'modules' | 'module' | 'script';

export interface BundleOptions {
  /** A production build (default true): process.env.NODE_ENV is
   *  "production". The code itself is never minified: metal's QuickJS prints
   *  a frame's line and no column, so each statement keeps a line of its own
   *  for the source map to name (syntax minifying joins statements; it saved
   *  6-8% of source, and the image carries bytecode anyway). */
  minify?: boolean;
  shape?: BundleShape;
}

export interface Bundle {
  /** Name in the payload → code, the entry first. */
  files: Array<[string, Uint8Array]>;
  /** The manifest's module list, in load order. */
  modules: ManifestModule[];
  /** Bytes of code each Web API the app names adds (kernel/web/ file name → bytes). */
  webApis: Record<string, number>;
  /** Each module's source map (esbuild's, sources as absolute paths): the
   *  image never carries them; `mote build` writes them beside it. */
  maps: Map<string, SourceMapJson>;
}

export interface SourceMapJson {
  version: number;
  sources: string[];
  names: string[];
  mappings: string;
}

/** What every bundle is compiled for and how its imports resolve: the one
 *  place for esbuild's options (resolution settings such as mainFields and
 *  conditions belong here too). */
function sharedOptions(minify: boolean): BuildOptions {
  return {
    bundle: true,
    write: false,
    metafile: true,
    platform: 'neutral',
    // Packages resolve as a bundler for a non-Node runtime resolves them:
    // "exports" with the import/module/default conditions (never node or
    // browser: neither's APIs exist here), else "module", else "main"
    // (neutral alone reads no main field: lodash-es could not be found).
    mainFields: ['module', 'main'],
    conditions: ['module'],
    target: 'es2020',
    sourcemap: 'external',
    sourcesContent: false,
    legalComments: 'none',
    alias: { mote: KERNEL_ENTRY },
    inject: [...(existsSync(PRELUDE) ? [PRELUDE] : []), ...webGlobals().files],
    // As esbuild defines it for the browser: libraries such as immer test
    // process.env.NODE_ENV, and there is no `process` here.
    define: { 'process.env.NODE_ENV': minify ? '"production"' : '"development"', ...webGlobals().define },
    // Node built-ins and top-level await: say what to write instead; the Web APIs' CommonJS libraries as lazy ES modules
    plugins: [guestLimitsPlugin(), webVendorPlugin()],
    logLevel: 'silent',
  };
}

/** What differs by shape. */
function shapeOptions(shape: BundleShape): BuildOptions {
  if (shape === 'modules') return { format: 'esm', splitting: true, chunkNames: 'chunks/[name]-[hash]' };
  return { format: shape === 'script' ? 'iife' : 'esm', splitting: false };
}

/** Bundle the app whose entry file is `entry`. Throws BuildError with
 *  esbuild's errors as diagnostics. */
export async function bundle(entry: string, opts: BundleOptions = {}): Promise<Bundle> {
  const esbuild = await import('esbuild');
  const workDir = dirname(entry);
  const outdir = join(workDir, '.mote-out'); // never written: write is false
  let result;
  try {
    result = await esbuild.build({
      ...sharedOptions(opts.minify ?? true),
      ...shapeOptions(opts.shape ?? 'modules'),
      entryPoints: { main: entry },
      absWorkingDir: workDir,
      outdir,
    });
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (!errors) throw e;
    throw new BuildError(`the build failed with ${errors.length} error${errors.length === 1 ? '' : 's'}`, diagnosticsOf(errors, workDir));
  }
  const slashes = (p: string) => p.split('\\').join('/');
  const nameOf = (path: string) => slashes(relative(outdir, resolve(workDir, path)));
  const keyOf = (name: string) => slashes(relative(workDir, join(outdir, name)));
  const code = new Map(result.outputFiles!.filter((f) => f.path.endsWith('.js')).map((f) => [nameOf(f.path), f.contents]));
  const maps = new Map(
    result.outputFiles!.filter((f) => f.path.endsWith('.js.map')).map((f) => {
      const map = JSON.parse(f.text) as SourceMapJson;
      // esbuild names sources relative to the (never written) output folder.
      map.sources = map.sources.map((src) => resolve(dirname(f.path), src));
      return [nameOf(f.path).replace(/\.map$/, ''), map];
    }),
  );
  const priority = modulePriorities(result.metafile!.outputs, ENTRY_MODULE, nameOf, keyOf);
  const names = loadOrder(code.keys(), priority, ENTRY_MODULE);
  return {
    files: names.map((n) => [n, code.get(n)!]),
    modules: names.map((n) => ({ name: n, size: code.get(n)!.length, priority: priority.get(n) ?? 1 })),
    maps,
    webApis: webApiBytes(
      Object.values(result.metafile!.outputs).flatMap((o) => Object.entries(o.inputs).map(([input, { bytesInOutput }]): [string, number] => [resolve(workDir, input), bytesInOutput])),
      [...code.values()].map((c) => new TextDecoder().decode(c)).join('\n'),
    ),
  };
}

/** The app as one ES module, for running it under node beside a host (tests, benches). */
export async function bundleApp(entry: string, minify = true): Promise<Uint8Array> {
  return (await bundle(entry, { minify, shape: 'module' })).files[0]![1];
}

/** esbuild's messages as diagnostics, with paths relative to the working directory. */
function diagnosticsOf(messages: Message[], workDir: string): Diagnostic[] {
  return messages.map((m) => ({
    severity: 'error',
    text: m.text,
    ...(m.location ? { location: { file: displayPath(resolve(workDir, m.location.file)), line: m.location.line, column: m.location.column, lineText: m.location.lineText } } : {}),
  }));
}
