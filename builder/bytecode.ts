// Bytecode: each module compiled to QuickJS bytecode by the compiler built
// beside the boot layer out of the same QuickJS sources (build/mote-qjsc).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BuildError, SetupError } from './errors.ts';

/** QuickJS bytecode for one module, from the compiler built beside the boot
 *  layer out of the same QuickJS sources. The boot layer loads `NAME.qbc`
 *  instead of parsing NAME; hosted runs read the source. */
export function compileModule(compiler: string, name: string, code: Uint8Array): Uint8Array {
  if (!existsSync(compiler)) throw new SetupError(`no module compiler at ${compiler}: run \`npm run build\` first`);
  const r = spawnSync(compiler, [name], { input: code, maxBuffer: 1 << 30 });
  if (r.status !== 0) {
    const why = r.error ? r.error.message : r.stderr.toString().trim();
    throw new BuildError(`QuickJS could not compile ${name}: ${why}`);
  }
  return r.stdout;
}

