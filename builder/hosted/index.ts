// The hosted runner: runs a mote payload in Node with the platform interface
// (kernel/platform.ts) as host "hosted", on the boot layer's own QuickJS and
// C host core compiled to WebAssembly (./wasm/): the same event loop,
// console, memory accounting and exit statuses as metal, with a memory that
// follows the RAM budget (ram-model.ts). `mote run` and `mote budget` call it.
import type { HostedOptions, HostedResult, Payload } from './types.ts';

export { INTERRUPTED, type HostedOptions, type HostedResult, type Payload } from './types.ts';
export { hostedMemory, FIRMWARE_HOLES, type HostedMemory } from './ram-model.ts';

/** Run `payload` until it stops; resolves with its exit status. Rejects only
 *  on a fault of the runner itself, never for anything the payload does. */
export function runHosted(payload: Payload, opts: HostedOptions): Promise<HostedResult> {
  return import('./wasm/run.ts').then((w) => w.runWasm(payload, opts));
}
