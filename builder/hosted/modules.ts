// `import` and `import()` resolve against the payload, by name, exactly as the
// boot layer's host_modules.c does: "./b.js" imported from "app/a.js" is
// "app/b.js", "../c.js" climbs one folder, bare names stay as they are.
import type { QuickJSRuntime } from 'quickjs-emscripten';

export type PayloadFiles = Map<string, Uint8Array | string>;

export function normalizeModuleName(base: string, name: string): string {
  if (!name.startsWith('.')) return name;
  const slash = base.lastIndexOf('/');
  let dir = slash >= 0 ? base.slice(0, slash) : '';
  let rest = name;
  for (;;) {
    if (rest.startsWith('./')) rest = rest.slice(2);
    else if (rest.startsWith('../')) {
      rest = rest.slice(3);
      const up = dir.lastIndexOf('/');
      dir = up >= 0 ? dir.slice(0, up) : '';
    } else break;
  }
  return dir ? `${dir}/${rest}` : rest;
}

const decoder = new TextDecoder();

/** The text of a payload file, or undefined. */
export function fileText(files: PayloadFiles, name: string): string | undefined {
  const f = files.get(name);
  return f === undefined ? undefined : typeof f === 'string' ? f : decoder.decode(f);
}

export function installModuleLoader(rt: QuickJSRuntime, files: PayloadFiles): void {
  rt.setModuleLoader(
    (name) => {
      const text = fileText(files, name);
      if (text === undefined) {
        const err = new Error(`module '${name}' is not in the image`);
        err.name = 'ReferenceError';
        return { error: err };
      }
      return text;
    },
    (base, name) => normalizeModuleName(base, name),
  );
}
