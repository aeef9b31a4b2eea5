// The compiler options a mote app is checked with: the scaffold's
// tsconfig.json (so an editor and plain `tsc` see what the guest has) and
// `mote build`'s type check (builder/typecheck.ts) both take them from here.
export const APP_COMPILER_OPTIONS = {
  target: 'ES2020', // what the bundler emits for QuickJS
  lib: ['ES2023'], // what QuickJS 2025-04-26, the default engine, has (findLast, toSorted, ...); not QUICKJS=2021's
  module: 'ESNext',
  moduleResolution: 'Bundler', // as esbuild resolves imports; "mote" through its package.json exports
  strict: true,
  allowImportingTsExtensions: true,
  allowJs: true,
  skipLibCheck: true,
  noEmit: true,
  types: [], // the guest has no Node: @types/node must not leak in
};

/** The scaffold's tsconfig.json. */
export function appTsconfig(): string {
  return JSON.stringify({ compilerOptions: APP_COMPILER_OPTIONS, include: ['src', 'test'] }, null, 2) + '\n';
}
