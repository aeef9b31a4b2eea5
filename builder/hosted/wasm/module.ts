// The wasm engine: the boot layer's own QuickJS and C host core, built for
// wasm32 by `make -C qemu wasm` (qemu/wasm/). Compiled once per process.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SetupError } from '../../errors.ts';
import { MOTE_ROOT } from '../../paths.ts';

export const WASM_ENGINE = join(MOTE_ROOT, 'qemu/build/mote-engine.wasm');

/** What the module exports (qemu/wasm/start.c). */
export interface EngineExports {
  /** wasi-libc's start-up (a reactor's constructors). */
  _initialize(): void;
  /** Where the payload segment must be copied before mote_boot. */
  mote_payload_at(): number;
  /** Where the command line goes (at most CMDLINE_MAX bytes). */
  mote_cmdline_at(): number;
  /** Take the command line, check the payload, lay the heap (refused below
   *  minHeap, the image's boot layer's), start QuickJS, run the entry module;
   *  trackRejections 0 lets unhandled rejections pass. */
  mote_boot(totalRam: number, heapBytes: number, commandLineBytes: number, minHeap: number, trackRejections: number): void;
  /** One turn of the event loop: -1 if it ran something, else the
   *  monotonic ms to sleep until (Infinity: until woken). */
  mote_turn(): number;
  /** Bytes the allocator hands out now, headers included. */
  mote_heap_used(): number;
}

let compiled: WebAssembly.Module | undefined;

export function engineModule(): WebAssembly.Module {
  if (compiled) return compiled;
  if (!existsSync(WASM_ENGINE)) throw new SetupError(`no wasm engine at ${WASM_ENGINE}: run \`npm run build\` first`);
  compiled = new WebAssembly.Module(readFileSync(WASM_ENGINE));
  return compiled;
}
