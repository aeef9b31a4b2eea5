// The CommonJS libraries the kernel uses, each made into one ES module
// that runs nothing until asked (kernel/web/url.ts imports `mote-vendor:url`,
// kernel/ets_btree.ts `mote-vendor:btree`).
// A CommonJS require() anywhere in a bundle makes esbuild wrap every module
// in a lazy initializer, injected files and all: even hello then carried
// 4 KB of wrappers and ~700 more code blocks for QEMU to translate at boot.
// So the library is bundled here, alone, as a function's body: its code runs
// at the first call, and an app that never calls it drops it whole.
import type { Plugin } from 'esbuild';

/** What each vendor module gives, from which library entry points: the
 *  entry's default export, or the one named after a '#'. */
const VENDORED: Record<string, Record<string, string>> = {
  url: { URL: 'core-js-pure/web/url.js', URLSearchParams: 'core-js-pure/web/url-search-params.js' },
  btree: { BTree: 'sorted-btree/b+tree.js', bulkLoad: 'sorted-btree/extended/bulkLoad.js#bulkLoad' },
};

const cache = new Map<string, string>();

async function vendorModule(name: string, resolveDir: string): Promise<string> {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const esbuild = await import('esbuild');
  const parts = Object.entries(VENDORED[name]!);
  const entry = parts.map(([exported, spec]) => {
    const [path, name = 'default'] = spec.split('#');
    return `export { ${name} as ${exported} } from ${JSON.stringify(path)};`;
  }).join('\n');
  const r = await esbuild.build({
    stdin: { contents: entry, resolveDir, loader: 'js' },
    // The library's paths (its modules' names in the code) from the importer's folder, not the cwd: the same image from any cwd.
    absWorkingDir: resolveDir,
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'vendored',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2020',
    legalComments: 'none',
    // A library's code, not the app's: its lines are not what a stack should name.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'silent',
  });
  const body = r.outputFiles[0]!.text;
  // The library looks for a native URL on globalThis first: hide ours (the
  // shell installs them there, kernel/web_globals.ts) while it loads, or it
  // would take our stand-ins, which load it, for native ones.
  const names = JSON.stringify(parts.map(([exported]) => exported));
  const code = `let loaded;
export function load() {
  if (!loaded) {
    const g = globalThis, hidden = ${names}.map((n) => [n, Object.getOwnPropertyDescriptor(g, n)]);
    for (const [n, d] of hidden) if (d) delete g[n];
    try {
${body}
      loaded = vendored;
    } finally {
      for (const [n, d] of hidden) if (d) Object.defineProperty(g, n, d);
    }
  }
  return loaded;
}
`;
  cache.set(name, code);
  return code;
}

/** Resolves `mote-vendor:NAME` to the vendored module. */
export function webVendorPlugin(): Plugin {
  return {
    name: 'mote-web-vendor',
    setup(build) {
      build.onResolve({ filter: /^mote-vendor:/ }, (args) => ({ path: args.path.slice('mote-vendor:'.length), namespace: 'mote-vendor', pluginData: args.resolveDir }));
      build.onLoad({ filter: /.*/, namespace: 'mote-vendor' }, async (args) => ({
        contents: await vendorModule(args.path, args.pluginData as string),
        loader: 'js',
      }));
    },
  };
}
