// The Web APIs of kernel/web/ as globals of the bundle. Each file there (not
// its support/ folder, the helpers) is injected: esbuild replaces a free use
// of an exported name with an import of it, so an app carries only the files
// it names. `globalThis.NAME` is defined as `NAME`, so feature tests such as
// `globalThis.TextEncoder` find them too; a name reached only dynamically
// (`globalThis[name]`) does not.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { WEB_GLOBALS } from './paths.ts';

export interface WebGlobals {
  /** The files to inject, sorted. */
  files: string[];
  /** `globalThis.NAME` → `NAME`, for every exported name. */
  define: Record<string, string>;
  /** Each file's name (such as 'url') → the names it exports. */
  exports: Record<string, string[]>;
}

let cached: WebGlobals | undefined;

export function webGlobals(): WebGlobals {
  if (cached) return cached;
  const names = existsSync(WEB_GLOBALS) ? readdirSync(WEB_GLOBALS).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort() : [];
  const files = names.map((f) => join(WEB_GLOBALS, f));
  const define: Record<string, string> = {};
  const exports: Record<string, string[]> = {};
  for (const file of files) {
    const names = [...readFileSync(file, 'utf8').matchAll(/^export (?:class|const|function) (\w+)/gm)].map((m) => m[1]!);
    for (const name of names) define[`globalThis.${name}`] = name;
    exports[basename(file, '.ts')] = names;
  }
  return (cached = { files, define, exports });
}

/** The libraries a Web API file is built on, when bundled as they are: their code counts as its own. */
const LIBRARIES: Record<string, string> = { 'core-js-pure': 'url', '@ungap/structured-clone': 'clone' };
/** Which Web API an input of the bundle belongs to (its kernel/web/ file's
 *  name, such as 'url'), or undefined for any other input. */
function webApiOf(input: string): string | undefined {
  const vendored = /mote-vendor:(\w+)$/.exec(input); // builder/web-vendor.ts: the library, as its API's
  if (vendored) return vendored[1];
  const rel = relative(WEB_GLOBALS, input).split('\\').join('/');
  if (!rel.startsWith('..') && !rel.includes('/')) return basename(rel, '.ts');
  const lib = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input.split('\\').join('/'))?.[1];
  return lib ? LIBRARIES[lib] : undefined;
}

/** Bytes of code each Web API adds to the bundle, from esbuild's metafile
 *  (inputs as absolute paths), for the APIs whose exports `code` defines:
 *  a file the app does not name is still there as esbuild's empty wrapper
 *  where the bundle wraps its modules. */
export function webApiBytes(inputs: Iterable<[string, number]>, code: string): Record<string, number> {
  const bytes: Record<string, number> = {};
  for (const [input, n] of inputs) {
    const api = webApiOf(input);
    if (api) bytes[api] = (bytes[api] ?? 0) + n;
  }
  const { exports } = webGlobals();
  const defined = (api: string) => (exports[api] ?? []).some((name) => new RegExp(`\\b(?:var|let|const|class|function) ${name}\\b`).test(code));
  return Object.fromEntries(Object.entries(bytes).filter(([api]) => defined(api)).sort(([a], [b]) => (a < b ? -1 : 1)));
}
