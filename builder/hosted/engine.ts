// One QuickJS engine per hosted run, on a WebAssembly memory of its own whose
// size is capped so that the JS heap can hold `heapLimit` bytes and no more.
//
// Why not JS_SetMemoryLimit: in this build malloc_usable_size is unavailable,
// so QuickJS counts 8 bytes per allocation and its limit never bites (a loop
// filling arrays reached 1.5 GB under a 4 MiB limit). A capped memory makes
// malloc itself fail, which QuickJS turns into an `out of memory` error that JS
// can catch, as the boot layer's counted allocator does.
//
// The emscripten module needs at least 16 MiB of memory to start. For smaller
// heaps a ballast block is allocated before the runtime, so the free heap left
// is `heapLimit` either way.
import type { QuickJSWASMModule } from 'quickjs-emscripten';
import { LimitError } from '../errors.ts';
import { capMemory, repay, rescueMaximum, type Rescue } from './rescue.ts';

/** quickjs-emscripten loads on first use: the CLI's other commands never need it. */
async function quickjs(heapPages: number, heap: HeapState): Promise<QuickJSWASMModule> {
  const { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC } = await import('quickjs-emscripten');
  const maxPages = rescueMaximum(heapPages, MAX_PAGES);
  const memory = new WebAssembly.Memory({ initial: MIN_PAGES, maximum: maxPages });
  // malloc grows the memory when its free space runs out: emscripten tries
  // a few sizes, largest first, and past the cap every try throws (but for
  // the rescue window, rescue.ts). Whether the last try failed is whether
  // the heap is at its cap.
  capMemory(memory, heapPages, maxPages, heap.rescue, (ok) => {
    heap.atCap = !ok;
  });
  return newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmMemory: memory }));
}

export interface HeapState {
  /** The memory's last attempt to grow failed: it is at its cap. */
  atCap: boolean;
  /** The rescue window past the cap (rescue.ts). */
  rescue: Rescue;
  /** Takes back what a rescue let the heap pass its cap by; the runner calls
   *  it between calls into the engine. */
  repay(): void;
  /** Whether `bytes` can be allocated right now (allocated and freed). */
  canAllocate(bytes: number): boolean;
  /** The largest block, up to `upTo` bytes, that can be allocated right now
   *  (to 4 KiB): what the heap still has room for, whatever QuickJS counts. */
  room(upTo: number): number;
}

const PAGE = 65_536;
/** The emscripten module's memory cannot pass 2 GiB (its import's maximum). */
const MAX_PAGES = 32_768;
/** The most RAM a hosted run can be given: 2 GiB less the module's static
 *  data and stack (~5 MiB), with room to spare. */
export const HOSTED_MAX_RAM = 2032 << 20;

/** Refuses a RAM size the hosted engine cannot address, naming the way out. */
export function checkHostedRam(ram: number, flag: string): void {
  if (ram > HOSTED_MAX_RAM) {
    throw new LimitError(`${flag}: the hosted engine addresses at most ${HOSTED_MAX_RAM >> 20}M of RAM; boot the image in QEMU for more`);
  }
}
/** The emscripten module's own minimum memory (its INITIAL_MEMORY). */
const MIN_PAGES = 256;
/** dlmalloc's bookkeeping around the ballast and the top chunk. */
const SLACK = 256;

interface Malloc {
  _malloc(size: number): number;
  _free(ptr: number): void;
}

export interface Engine {
  module: QuickJSWASMModule;
  /** Bytes of WebAssembly memory the JS heap can still take, at most. */
  heapRoom: number;
  heap: HeapState;
}

/** A fresh engine whose heap can grow to `heapLimit` bytes (rounded to 64 KiB
 *  when above 16 MiB of memory). */
export async function newEngine(heapLimit: number): Promise<Engine> {
  const heapStart = await heapStartAddress();
  const pages = Math.max(MIN_PAGES, Math.ceil((heapStart + heapLimit + SLACK) / PAGE));
  if (pages > MAX_PAGES) throw new LimitError(`the hosted engine addresses at most ${HOSTED_MAX_RAM >> 20}M of RAM, not a ${Math.floor(heapLimit / 2 ** 20)}M heap`);
  const heap = newHeapState();
  const module = await quickjs(pages, heap);
  const raw = (module as unknown as { module: Malloc }).module;
  heap.canAllocate = (bytes) => {
    heap.rescue.probing = true;
    const p = raw._malloc(bytes);
    if (p) raw._free(p);
    heap.rescue.probing = false;
    return p !== 0;
  };
  heap.repay = () => {
    if (heap.rescue.owed > 0) repay(raw, heap.rescue);
  };
  heap.room = (upTo) => {
    if (heap.canAllocate(upTo)) return upTo;
    let lo = 0;
    let hi = upTo;
    while (hi - lo > 4096) {
      const mid = Math.floor((lo + hi) / 2);
      if (heap.canAllocate(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  };
  const start = raw._malloc(16);
  raw._free(start);
  const room = pages * PAGE - start;
  const ballast = room - heapLimit - SLACK;
  // The ballast is never freed: it lives as long as this engine.
  if (ballast > 0 && raw._malloc(ballast) === 0) throw new Error('hosted runner: could not place the memory ballast');
  return { module, heapRoom: Math.min(room, heapLimit), heap };
}

/** A heap's state before its engine exists. */
export function newHeapState(): HeapState {
  return { atCap: false, rescue: { open: false, probing: false, owed: 0 }, repay: () => {}, canAllocate: () => true, room: (upTo) => upTo };
}

let heapStartCache: number | undefined;

/** Where dlmalloc's heap starts in a fresh instance: after the module's static
 *  data and stack. The same for every instance of the same build. */
async function heapStartAddress(): Promise<number> {
  if (heapStartCache !== undefined) return heapStartCache;
  const module = await quickjs(MIN_PAGES, newHeapState());
  const raw = (module as unknown as { module: Malloc }).module;
  const p = raw._malloc(16);
  raw._free(p);
  return (heapStartCache = p);
}
