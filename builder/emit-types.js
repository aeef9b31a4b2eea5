// Emits the kernel API's declarations (types/tsconfig.json: kernel/index.ts
// and what it imports) into dist/types/, which types/mote.d.ts re-exports:
// what an app's editor, its own `tsc` and `mote build`'s type check see as
// "mote". Skipped when dist/types is newer than every kernel source. Each file
// is written to a temp file and renamed, so a check running meanwhile never
// reads half a declaration.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const config = join(root, 'types/tsconfig.json');
const stamp = join(root, 'dist/types/index.d.ts');

/** The newest mtime among the kernel's sources and the configs that shape the output. */
function newestInput() {
  let newest = Math.max(statSync(config).mtimeMs, statSync(join(root, 'kernel/tsconfig.json')).mtimeMs);
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(root, 'kernel'));
  return newest;
}

/** Returns true if it emitted, false if the declarations were up to date. */
export async function emitTypes() {
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= newestInput()) return false;
  const { default: ts } = await import('typescript');
  const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail(ts, [d]) });
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const result = program.emit(undefined, (path, text) => {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  });
  if (result.emitSkipped) fail(ts, result.diagnostics);
  return true;
}

function fail(ts, diagnostics) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  throw new Error(`the kernel's declarations could not be emitted:\n${ts.formatDiagnostics(diagnostics, host)}`);
}
