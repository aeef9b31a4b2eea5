// The Web APIs of kernel/web/ as globals of the bundle. Each file there (not
// its support/ folder, the helpers) is injected: esbuild replaces a free use
// of an exported name with an import of it, so an app carries only the files
// it names. `globalThis.NAME` is defined as `NAME`, so feature tests such as
// `globalThis.TextEncoder` find them too; a name reached only dynamically
// (`globalThis[name]`) does not.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
