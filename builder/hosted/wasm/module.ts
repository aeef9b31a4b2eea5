// The wasm engine: the boot layer's own QuickJS and C host core, built for
// wasm64 by `make -C qemu wasm`, or for wasm32 with WASM=32 (qemu/wasm/).
// Compiled once per process.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { SetupError } from '../../errors.ts';
import { MOTE_ROOT } from '../../paths.ts';
import { enableMemory64, importsMemory64 } from './memory64.ts';
import { tierUpEagerly } from './tiering.ts';

/** The engine's file; MOTE_WASM_ENGINE names another build of it (another
 *  target, as `make -C qemu B=build/w32 WASM=32 wasm` writes one). */
export const WASM_ENGINE = process.env.MOTE_WASM_ENGINE || join(MOTE_ROOT, 'qemu/build/mote-engine.wasm');

/** What the module exports (qemu/wasm/start.c). */
export interface EngineExports {
  /** wasi-libc's start-up (a reactor's constructors). */
  _initialize(): void;
  /** Where the payload segment must be copied before mote_boot. */
  mote_payload_at(): Address;
  /** Where the command line goes (at most CMDLINE_MAX bytes). */
  mote_cmdline_at(): Address;
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

/** An address an export returns: a BigInt from the wasm64 engine. */
export type Address = number | bigint;

let compiled: WebAssembly.Module | undefined;
let memory64 = false;

export function engineModule(): WebAssembly.Module {
  if (compiled) return compiled;
  if (!existsSync(WASM_ENGINE)) throw new SetupError(`no wasm engine at ${WASM_ENGINE}: run \`npm run build\` first`);
  if (typeof WebAssembly === 'undefined') throw new SetupError(noWebAssembly());
  const bytes = readFileSync(WASM_ENGINE);
  memory64 = importsMemory64(bytes);
  // Node 20's V8 has memory64 behind a flag, read when a module compiles.
  const refused = memory64 ? enableMemory64(setFlagsFromString) : null;
  if (refused !== null) throw new SetupError(refused);
  tierUpEagerly(setFlagsFromString); // read when the module compiles (tiering.ts)
  compiled = new WebAssembly.Module(bytes);
  return compiled;
}

/** Why there is no engine where Node has no WebAssembly (--jitless, or
 *  NODE_OPTIONS carrying it, turns it off). */
function noWebAssembly(): string {
  const why = /--jitless/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`) ? ' (--jitless turns it off)' : '';
  return `mote needs WebAssembly (its hosted engine runs, measures and checks images), and this Node has none${why}: run Node without --jitless`;
}

/** The memory the engine imports, in pages of 64 KiB: grown by the driver,
 *  never past `maximum`. */
export function engineMemory(initial: number, maximum: number): WebAssembly.Memory {
  engineModule();
  if (!memory64) return new WebAssembly.Memory({ initial, maximum });
  return inPages((page) => new WebAssembly.Memory({ initial: page(initial), maximum: page(maximum), index: 'i64' } as WebAssembly.MemoryDescriptor));
}

/** Grows the engine's memory by `pages`. */
export function growMemory(memory: WebAssembly.Memory, pages: number): void {
  inPages((page) => memory.grow(page(pages)));
}

/** Calls `use` with page counts as this V8 takes them for a memory64
 *  memory: numbers where memory64 is behind Node 20's flag, BigInts in the
 *  standard JS API (a V8 that ships it), which refuses numbers there. */
function inPages<T>(use: (page: (n: number) => number) => T): T {
  try {
    return use((n) => n);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return use((n) => BigInt(n) as unknown as number);
  }
}
