// The hosted heap's cap and its rescue window, as the boot layer's host.c has
// one. When an allocation fails, QuickJS allocates its "out of memory" error
// and that error's backtrace; with the heap full those fail too and it throws
// null, and some of its paths then drop what they could not allocate (a
// promise job) or run on with it (a trap). So the memory is capped at
// `softPages`, and a refused growth opens a window: the next growth may go
// past the cap, once, into pages kept back for it. Outside the engine (at the
// next turn of the runner's loop) the pages rescued are taken back with
// ballast blocks, so the heap still holds no more than was asked for.
//
// emscripten grows by at least 5% of the memory at a time, so a rescue costs
// that much address space; `MAX_RESCUES` rescues are kept back, and past them
// running out is what it was without (null, and the runner's last resort).
const PAGE = 65_536;
const MAX_RESCUES = 4;

export interface Rescue {
  /** A growth was refused at the cap: the next one may pass it. */
  open: boolean;
  /** The runner is probing the heap from outside: a refusal opens nothing. */
  probing: boolean;
  /** Bytes rescued and not yet taken back by ballast. */
  owed: number;
}

/** The most pages a memory capped at `softPages` may reach with rescues. */
export function rescueMaximum(softPages: number, maxPages: number): number {
  return Math.min(maxPages, Math.ceil(softPages * (1 + 0.06 * MAX_RESCUES)) + MAX_RESCUES);
}

/** Installs the cap on `memory`; `onGrow(ok)` says whether each try grew.
 *  emscripten makes three tries per growth, largest first (+20%, +10%, +5%,
 *  or what the allocation needs if more): three refusals in a row are one
 *  failed allocation, which opens the window; the rescue is the next try
 *  small enough (+5%), so a large allocation is never what it lets through. */
export function capMemory(memory: WebAssembly.Memory, softPages: number, maxPages: number, rescue: Rescue, onGrow: (ok: boolean) => void): void {
  let soft = softPages;
  let refusals = 0;
  const grow = memory.grow.bind(memory);
  const tryGrow = (delta: number): number => {
    try {
      return grow(delta);
    } catch (e) {
      onGrow(false);
      throw e;
    }
  };
  memory.grow = (delta: number) => {
    const current = memory.buffer.byteLength / PAGE;
    const pages = current + delta;
    if (pages <= soft) {
      const before = tryGrow(delta);
      refusals = 0;
      rescue.open = false;
      onGrow(true);
      return before;
    }
    const small = delta <= Math.ceil(current * 0.06) + 2;
    if (rescue.open && small && !rescue.probing && pages <= maxPages) {
      const before = tryGrow(delta);
      rescue.open = false;
      refusals = 0;
      rescue.owed += (pages - soft) * PAGE;
      soft = pages;
      onGrow(true);
      return before;
    }
    if (!rescue.probing && ++refusals % 3 === 0) rescue.open = true;
    onGrow(false);
    throw new RangeError('mote: the hosted heap is at its cap');
  };
}

interface Malloc {
  _malloc(size: number): number;
}

/** Takes rescued bytes back with ballast blocks that are never freed, as far
 *  as the heap has room now; what is left is taken at a later call. */
export function repay(raw: Malloc, rescue: Rescue): void {
  rescue.probing = true;
  try {
    while (rescue.owed > 0) {
      const n = Math.min(rescue.owed, 1 << 20);
      if (raw._malloc(n) === 0) break;
      rescue.owed -= n;
    }
  } finally {
    rescue.probing = false;
  }
}
