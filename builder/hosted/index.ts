// The hosted runner: runs a mote payload in Node with the platform interface
// (kernel/platform.ts) as host "hosted", the same event loop, console and exit
// statuses as the boot layer, and a memory limit that follows the RAM budget
// (ram-model.ts). `mote run` and `mote budget` call it. The engine is the
// boot layer's own QuickJS and C host core in wasm (./wasm/), or under
// MOTE_ENGINE=emscripten quickjs-emscripten with the TypeScript host (./run.ts).
import { hostedEngine } from './engine-choice.ts';
import { HostedRun } from './run.ts';
import type { HostedOptions, HostedResult, Payload } from './types.ts';

export type { HostedOptions, HostedResult, Payload } from './types.ts';
export { hostedMemory, FIRMWARE_HOLES, type HostedMemory } from './ram-model.ts';
export { normalizeModuleName } from './modules.ts';

/** Run `payload` until it stops; resolves with its exit status. Rejects only
 *  on a fault of the runner itself, never for anything the payload does. */
export function runHosted(payload: Payload, opts: HostedOptions): Promise<HostedResult> {
  if (hostedEngine() === 'wasm') return import('./wasm/index.ts').then((w) => w.runWasm(payload, opts));
  return new HostedRun(payload, opts).run();
}
