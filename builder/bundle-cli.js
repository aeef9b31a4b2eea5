// Bundles builder/cli.ts into dist/cli.js for bin/mote.js, then brings the
// kernel API's declarations in dist/types/ up to date (builder/emit-types.js).
// Packages stay external: they are dependencies and load from node_modules.
// Each output file is written to a temp file and renamed, so a CLI running
// meanwhile never reads half a bundle. Prints one line per step and a summary,
// as qemu/Makefile does (`npm run build`).
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
let cliBytes = 0;
for (const file of result.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  const tmp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, file.path);
  if (file.path.endsWith('.js')) cliBytes = file.contents.length;
}
const step = (what, path) => process.stdout.write(`  ${what.padEnd(7)} ${path}\n`);
step('BUNDLE', 'dist/cli.js');
const emitted = await emitTypes();
step('TYPES', emitted ? 'dist/types' : 'dist/types (up to date)');
process.stdout.write(`dist: cli.js ${Math.round(cliBytes / 1024)} KiB, the declarations of "mote" in types/ and dist/types/\n`);
