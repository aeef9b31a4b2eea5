/**
 * Out of memory in the kernel's own work for a process: where the engine's
 * error surfaces while the kernel runs a process (it could not allocate what
 * it needed to go on with it), that process dies with `out_of_memory`, and
 * the largest by pressure.ts's count too if the heap is still short; the
 * node goes on. Only when not even a death can be recorded and said does the
 * node stop (status 101), as BEAM does when it cannot allocate.
 */
import { Exit, platform } from './platform.ts';
import { state, EMPTY, type Proc } from './process.ts';
import { dropMailbox } from './mailbox.ts';
import { deathOutOfMemory, die, isOutOfMemory } from './signals.ts';
import type { Reason } from './reasons.ts';
import { heapLimit, heapShort, relieve, relieveAny, weight } from './pressure.ts';
import { refillReserve, roomForReserve, spendReserve } from './oom_reserve.ts';
import * as logger from './logger.ts';

/** p ran the VM out of memory, or the kernel did on p's behalf: p dies with
 *  out_of_memory, in the room the kernel's reserve gives back. If the heap
 *  is still short (the memory is held elsewhere), the process the kernel
 *  counts the most against dies too. If then there is not even room to
 *  record the death and say so, what fills the heap is nothing the kernel
 *  can free, and the node stops (nodeOutOfMemory). Once the death is said,
 *  room is made for the next (makeRoom). */
export function outOfMemory(p: Proc): void {
  spendReserve();
  // Its figures first (numbers: nothing allocated), then its messages go,
  // before the line or its death allocates anything.
  let held = -1;
  let queued = 0;
  try {
    if (p.alive) held = weight(p);
    queued = p.queueLen();
  } catch {
    // no room even for its figures: the death comes first
  }
  if (p.mailbox !== EMPTY) dropMailbox(p);
  let line = '';
  try {
    line = deathLine(p, held, queued);
    if (p.alive) die(p, 'out_of_memory');
    if (heapShort()) relieve(heapLimit() / 32);
    logger.error(line);
  } catch {
    // Still no room: whoever holds the most goes, however little it holds
    // (the heap is full of what many hold), then one more try.
    try {
      if (!relieveAny()) throw new Error('nothing to relieve');
      if (p.alive) die(p, 'out_of_memory');
      logger.error(line || `process ${p.pid} ran the VM out of memory: killed (out_of_memory)`);
    } catch {
      nodeOutOfMemory();
    }
  }
  try {
    makeRoom();
  } catch {
    // the death is recorded and said: the next out-of-memory tries again
  }
}

/** A death ran out of memory midway (signals.ts): the reserve goes back and
 *  the rest of its work runs again; if that runs out too, processes a
 *  supervisor restarts die (relieveAny) until it completes. With nothing
 *  left to free (or a death inside that relief running out in its turn),
 *  the node stops, 101: a process half dead, out of the table but its
 *  links and monitors never told, left its supervisor waiting for ever. */
let rescuing = false;
function finishDeath(rest: (p: Proc, reason: Reason) => void, p: Proc, reason: Reason): void {
  spendReserve();
  if (completes(rest, p, reason)) return;
  if (!rescuing) {
    rescuing = true;
    try {
      while (relieveAny()) if (completes(rest, p, reason)) return;
    } catch (e) {
      if (!isOutOfMemory(e)) throw e; // no room even to relieve
    } finally {
      rescuing = false;
    }
  }
  nodeOutOfMemory(DEATH_LINE);
}
deathOutOfMemory.handle = finishDeath;

/** The runaway guard tripped (crash.ts's mendTrip): a trip inside the
 *  rescue skipped its finally (QuickJS runs none for an uncatchable error),
 *  and the flag left set stopped the node (101) at the next death that ran
 *  out, with processes still there to free. */
export function rescueInterrupted(): void {
  rescuing = false;
}

/** Runs the rest of a death: false if it ran out of memory again. */
function completes(rest: (p: Proc, reason: Reason) => void, p: Proc, reason: Reason): boolean {
  try {
    rest(p, reason);
    return true;
  } catch (e) {
    if (!isOutOfMemory(e)) throw e;
    return false;
  }
}

/** After a death the heap may still be too full to record the next one (a
 *  heap full of what many small holders hold: the kernel's count is low
 *  for an async body). Then small holders die, the supervised first, until
 *  the reserve fits again, and it is taken again at once: the next
 *  out-of-memory of this same turn found none, and stopped the node. */
function makeRoom(): void {
  while (!roomForReserve()) if (!relieveAny()) break;
  refillReserve();
}

/** The line that names p's memory (`held` -1: it was dead already). */
function deathLine(p: Proc, held: number, queued: number): string {
  const heap = platform().memory();
  const what = held >= 0 ? `; it held ${held} bytes (${queued} messages queued)` : '';
  return `process ${p.pid} ran the VM out of memory: killed (out_of_memory)${what}, with the heap at ${heap.heapUsed} of ${heap.heapLimit} bytes`;
}

/** What this path calls must exist before the heap is full: QuickJS creates
 *  a host function, as most built-in methods, at its first use, which fails
 *  with the heap full, and the heap's limit is read once, into an object.
 *  So the platform's functions are made here, at load, and the limit read:
 *  else the node's stop could throw instead of stopping (its `exit` never
 *  made), and the process's rejection was then reported unhandled (100). */
function prepare(): void {
  const host = globalThis.__mote as unknown as Record<string, unknown> | undefined;
  if (!host) return; // the kernel imported outside a host (unit tests)
  for (const name of Object.getOwnPropertyNames(host)) void host[name];
  heapLimit();
}
prepare();

/** The kernel could not even record a death (the heap is full of what other
 *  processes hold): the node cannot keep its promises, so it stops. The line
 *  is built before memory runs out. */
const OOM_LINE = 'mote: out of memory: the node cannot go on\n';
const DEATH_LINE = "mote: out of memory: a process's death could not be completed; the node cannot go on\n";
export function nodeOutOfMemory(line = OOM_LINE): never {
  state.halted = true;
  try {
    platform().write(line);
  } catch {
    // nothing more can be said
  }
  return platform().exit(Exit.OutOfMemory);
}
