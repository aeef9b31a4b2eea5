// Bytecode: each module compiled to QuickJS bytecode by the compiler built
// beside the boot layer out of the same QuickJS sources (build/mote-qjsc).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BuildError, SetupError } from './errors.ts';

/** QuickJS bytecode for one module, from the compiler built beside the boot
 *  layer out of the same QuickJS sources. The boot layer loads `NAME.qbc`
 *  instead of parsing NAME; hosted runs read the source. */
export function compileModule(compiler: string, name: string, code: Uint8Array): Uint8Array {
  return run(compiler, [name], code, `QuickJS could not compile ${name}`);
}

/** manifest.json as the boot layer reads it without parsing JSON
 *  (manifest.json.qbc: QuickJS's serialization of it after a stamp of its
 *  text, qemu/include/manifest_stamp.h). */
export function compileManifest(compiler: string, json: Uint8Array): Uint8Array {
  return run(compiler, ['--manifest'], json, 'QuickJS could not serialize manifest.json');
}

function run(compiler: string, args: string[], input: Uint8Array, failure: string): Uint8Array {
  if (!existsSync(compiler)) throw new SetupError(`no module compiler at ${compiler}: run \`npm run build\` first`);
  const r = spawnSync(compiler, args, { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) {
    const why = r.error ? r.error.message : r.stderr.toString().trim();
    throw new BuildError(`${failure}: ${why}`);
  }
  return r.stdout;
}

