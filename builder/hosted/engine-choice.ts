// Which engine runs hosted: 'emscripten' (quickjs-emscripten with the
// TypeScript host, the default) or 'wasm' (the boot layer's own QuickJS and
// C host core compiled to WebAssembly, ./wasm/), chosen by MOTE_ENGINE.
import { InputError } from '../errors.ts';

export type HostedEngine = 'emscripten' | 'wasm';

export function hostedEngine(env: NodeJS.ProcessEnv = process.env): HostedEngine {
  const v = env.MOTE_ENGINE;
  if (v === undefined || v === '' || v === 'emscripten') return 'emscripten';
  if (v === 'wasm') return 'wasm';
  throw new InputError(`MOTE_ENGINE=${v} is not an engine: give wasm or emscripten`);
}
