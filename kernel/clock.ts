/**
 * The clock the scheduler reads at each switch between processes.
 *
 * A host call costs more than Date.now(), which the engine answers without
 * leaving JS (on the retired quickjs-emscripten, 5 us against 0.2 us), and a
 * ping-pong switches on every message. So a switch reads the host clock again only once Date.now()'s
 * millisecond has moved, or every 64th switch (should Date.now() stand
 * still); otherwise the last reading stands, at most about a millisecond old.
 * A runaway (runawayMs of wall time) always moves Date.now(), so it is always
 * judged on a fresh reading. Entries from the host loop (turn, trip, foreign
 * promises) drop the reading: virtual-time hosts move the clock in between.
 */
import { platform } from './platform.ts';

/** The host's monotonic clock, read now. */
export const now = (): number => platform().monotonicMs();

// Taken once: a global lookup per switch is slow in a node:vm context.
const wallNow = Date.now;
let clockMono = 0;
let clockWall = NaN;
let clockUses = 0;

/** The monotonic time at a switch: at most about a millisecond old. */
export function clockAtSwitch(): number {
  const w = wallNow();
  if (w !== clockWall || ++clockUses >= 64) {
    clockWall = w;
    clockUses = 0;
    clockMono = now();
  }
  return clockMono;
}

/** Back from the host loop: the next switch reads the host clock. */
export function dropClock(): void {
  clockWall = NaN;
}
