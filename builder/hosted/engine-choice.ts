// Which engine runs hosted: 'wasm' (the boot layer's own QuickJS and C host
// core compiled to WebAssembly, ./wasm/, the default) or 'emscripten'
// (quickjs-emscripten with the TypeScript host, kept for now for comparison
// and until it is retired, issue 10), chosen by MOTE_ENGINE.
import { InputError } from '../errors.ts';

export type HostedEngine = 'emscripten' | 'wasm';

export function hostedEngine(env: NodeJS.ProcessEnv = process.env): HostedEngine {
  const v = env.MOTE_ENGINE;
  if (v === undefined || v === '' || v === 'wasm') return 'wasm';
  if (v === 'emscripten') return 'emscripten';
  throw new InputError(`MOTE_ENGINE=${v} is not an engine: give wasm or emscripten`);
}
