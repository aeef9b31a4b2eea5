// Bundles builder/cli.ts into dist/cli.js for bin/mote.js, then brings the
// kernel API's declarations in dist/types/ up to date (builder/emit-types.js).
// Packages stay external: they are dependencies and load from node_modules.
// Each output file is written to a temp file and renamed, so a CLI running
// meanwhile never reads half a bundle.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { build } from 'esbuild';
import { emitTypes } from './emit-types.js';

const result = await build({
  entryPoints: ['builder/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  write: false,
});
for (const file of result.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  const tmp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, file.path);
}
await emitTypes();
