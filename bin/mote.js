#!/usr/bin/env node
// The mote CLI: runs the bundle that `npm run build` writes from builder/cli.ts.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('mote: the CLI is not built yet; run `npm run build` in the mote checkout first\n');
  process.exit(2);
}
await import(pathToFileURL(cli).href);
