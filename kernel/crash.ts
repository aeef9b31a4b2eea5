/**
 * How a process's failure ends it: an exception out of its body or handler
 * (a crash, logged unless it is exit/1's ProcessExit), a runaway slice
 * (killed, logged), the engine's interrupt, or running out of memory
 * (out_of_memory.ts).
 */
import { type Proc, state, endUnwound } from './process.ts';
import { die, finishInterrupted, reasonOf, isOutOfMemory, ProcessExit } from './signals.ts';
import { config } from './tunables.ts';
import { guardPassed } from './guard.ts';
import { outOfMemory, nodeOutOfMemory, rescueInterrupted } from './out_of_memory.ts';
import { spendReserve } from './oom_reserve.ts';
import { now } from './clock.ts';
import * as logger from './logger.ts';
import { errorText } from './inspect.ts';

/** p ran `ms` without yielding: it dies with `killed`, logged. `where`, the
 *  guard's interrupt when it surfaced as an error, adds its stack: the
 *  frames that were running (the top one at its function's first line, as
 *  QuickJS keeps no position at the loop's poll), so the line names the
 *  app's code. */
export function runaway(p: Proc, ms: number, where?: unknown): void {
  const stack = where instanceof Error && typeof where.stack === 'string' ? where.stack.replace(/\n+$/, '') : '';
  logger.error(`process ${p.pid} ran ${Math.round(ms)} ms without yielding (limit ${config.runawayMs} ms): killed${stack ? '\n' + stack : ''}`);
  die(p, 'killed');
}

/** The runaway guard's trip stopped kernel code where it was, and QuickJS
 *  runs no finally for it: the rescue's flag is cleared, the deaths it
 *  stopped midway are finished, and a behaviour's init it stopped ends.
 *  Run when the host reports the trip (scheduler.ts's tripped) and when it
 *  surfaces first as an async body's rejection (crash, below): the host
 *  may never report that one. */
export function mendTrip(slice: Proc | null): void {
  rescueInterrupted();
  finishInterrupted();
  // A behaviour's init the trip stopped (inside `slice`) is the runaway:
  // its process dies.
  endUnwound((q) => {
    if (q.alive) runaway(q, slice ? now() - state.sliceStart : config.runawayMs);
  });
}

/** Is `e` QuickJS's interrupt (the guard's, or the host stopping)? */
export function isInterrupt(e: unknown): boolean {
  return e instanceof Error && e.name === 'InternalError' && e.message === 'interrupted';
}

/** p's body or handler threw (or its promise rejected with) `e`. */
export function crash(p: Proc, e: unknown): void {
  if (!p.alive) return;
  // QuickJS's interrupt (the hosts' guard) can surface as a rejection of the
  // async body before the host calls onTrip: it is the runaway kill.
  if (isInterrupt(e)) {
    mendTrip(p);
    // Unless the guard's deadline has passed, the host interrupted for its
    // own reasons (exit, --timeout, Ctrl-C) and stops next: no runaway line.
    // Nor is p blamed while another process runs: the interrupt was that
    // one's, which tripped() kills, and it only unwound p's frames.
    if (guardPassed() && (state.current === null || state.current === p)) return runaway(p, now() - state.sliceStart, e);
    return die(p, 'killed');
  }
  const reason = reasonOf(e);
  if (reason === 'out_of_memory') return outOfMemory(p);
  try {
    // Die first: that frees the process's heap, which the log line may need.
    die(p, reason);
    sayCrash(p, e);
  } catch (e2) {
    // No room to record the death, or to say so: as outOfMemory.
    if (!isOutOfMemory(e2)) throw e2;
    if (p.alive) return outOfMemory(p);
    // Dead, with no room for its line (the heap is full of what others
    // hold): the kernel's reserve gives room for one more try.
    spendReserve();
    try {
      sayCrash(p, e);
    } catch {
      nodeOutOfMemory();
    }
  }
}

function sayCrash(p: Proc, e: unknown): void {
  if (!(e instanceof ProcessExit)) logger.error(`process ${p.pid} crashed:`, e instanceof Error ? errorText(e) : e);
}
