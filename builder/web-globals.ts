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
}

let cached: WebGlobals | undefined;

export function webGlobals(): WebGlobals {
  if (cached) return cached;
  const names = existsSync(WEB_GLOBALS) ? readdirSync(WEB_GLOBALS).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort() : [];
  const files = names.map((f) => join(WEB_GLOBALS, f));
  const define: Record<string, string> = {};
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/^export (?:class|const|function) (\w+)/gm)) {
      define[`globalThis.${m[1]}`] = m[1]!;
    }
  }
  return (cached = { files, define });
}

/** The libraries a Web API file is built on: their code counts as its own. */
const LIBRARIES: Record<string, string> = { 'core-js-pure': 'url', '@ungap/structured-clone': 'clone' };
/** Below this, a file's bytes in the bundle are only esbuild's empty wrapper. */
const WRAPPER_BYTES = 256;

/** Which Web API an input of the bundle belongs to (its kernel/web/ file's
 *  name, such as 'url'), or undefined for any other input. */
function webApiOf(input: string): string | undefined {
  const rel = relative(WEB_GLOBALS, input).split('\\').join('/');
  if (!rel.startsWith('..') && !rel.includes('/')) return basename(rel, '.ts');
  const lib = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input.split('\\').join('/'))?.[1];
  return lib ? LIBRARIES[lib] : undefined;
}

/** Bytes of code each Web API adds to the bundle, from esbuild's metafile
 *  (inputs as absolute paths): only the APIs the app names. */
export function webApiBytes(inputs: Iterable<[string, number]>): Record<string, number> {
  const bytes: Record<string, number> = {};
  for (const [input, n] of inputs) {
    const api = webApiOf(input);
    if (api) bytes[api] = (bytes[api] ?? 0) + n;
  }
  return Object.fromEntries(Object.entries(bytes).filter(([, n]) => n >= WRAPPER_BYTES).sort(([a], [b]) => (a < b ? -1 : 1)));
}
