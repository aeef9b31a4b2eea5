/**
 * The kernel's own margin for running out: a block of heap held from load
 * and given back the moment the kernel must act on an out-of-memory (record
 * a death and say so, give a promise its handler), so that it has room to,
 * even when what fills the heap outlives every process. The next turn that
 * finds room for it takes it again. The host's rescue window
 * (host.c) is for the engine's own error and is spent by the time the
 * kernel sees it.
 */
import { platform } from './platform.ts';

const RESERVE_BYTES = 8 * 1024;
let reserve: ArrayBuffer | null = null;

/** Gives the margin back to the heap (at once: the engine counts references). */
export function spendReserve(): void {
  reserve = null;
}

/** Takes the margin again, if it was spent and the heap has room for it
 *  and as much again. Not only once the heap is no longer short: a heap
 *  kept past 7/8 by many small holders never is, and then the next
 *  out-of-memory found no margin and stopped the node. */
export function refillReserve(): void {
  if (reserve !== null || !roomForReserve()) return;
  try {
    reserve = new ArrayBuffer(RESERVE_BYTES);
  } catch {
    // not yet: a later turn tries again
  }
}

export function roomForReserve(): boolean {
  try {
    const m = platform().memory();
    return m.heapUsed + 2 * RESERVE_BYTES <= m.heapLimit;
  } catch {
    return false;
  }
}

refillReserve();
