/**
 * The kernel's own margin for running out: a block of heap held from load
 * and given back the moment the kernel must act on an out-of-memory (record
 * a death and say so, give a promise its handler), so that it has room to,
 * even when what fills the heap outlives every process. The next turn that
 * finds the heap no longer short takes it again. The host's rescue window
 * (host.c) is for the engine's own error and is spent by the time the
 * kernel sees it.
 */
import { heapShort } from './pressure.ts';

const RESERVE_BYTES = 8 * 1024;
let reserve: ArrayBuffer | null = null;

/** Gives the margin back to the heap (at once: the engine counts references). */
export function spendReserve(): void {
  reserve = null;
}

/** Takes the margin again, if it was spent and the heap has room. */
export function refillReserve(): void {
  if (reserve !== null || heapShort()) return;
  try {
    reserve = new ArrayBuffer(RESERVE_BYTES);
  } catch {
    // not yet: a later turn tries again
  }
}

refillReserve();
