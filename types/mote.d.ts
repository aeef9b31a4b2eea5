// The types of `import ... from 'mote'` (package.json "exports" points here):
// the kernel's API, whose declarations `npm run build` emits from
// kernel/index.ts into dist/types/ (builder/emit-types.js), and the globals
// every guest has.
/// <reference path="./globals.d.ts" />
export * from '../dist/types/index.ts';
