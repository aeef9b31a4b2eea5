/**
 * Memory pressure: one process's memory never takes the node down.
 *
 * The kernel counts what each process holds (queued messages, reported
 * state, and the tables it owns). As that count grows, every `heapLimit / 64`
 * bytes it looks at the host's heap figures; once the heap is more than 7/8
 * full, the process holding the most by that count dies with reason
 * `out_of_memory` (its supervisor restarts it) before the heap is full, so
 * the engine's own "out of memory" rarely surfaces at all. When it does
 * surface somewhere no process can take it (inside the scheduler), the
 * scheduler calls `relieve` to kill the largest process instead.
 *
 * A process holding less than `heapLimit / 32` is never killed for pressure:
 * its death would not give the heap back.
 */
import { platform } from './platform.ts';
import { Proc, procs, procMemory, state } from './process.ts';
import { die } from './signals.ts';
import * as logger from './logger.ts';

/** Heap use past which the largest process dies: 7/8 of the limit. */
const HIGH_NUM = 7;
const HIGH_DEN = 8;

/** Other holders of memory charged to a process (ets.ts adds its tables). */
export const chargedTo: ((p: Proc) => number)[] = [];

let grown = 0;
let heapLimitCache = 0;
let killed = 0;
/** The last look found the heap short even after relief: look at every
 *  table insert until it is not. */
let stillShort = false;

function limit(): number {
  if (heapLimitCache === 0) heapLimitCache = platform().memory().heapLimit;
  return heapLimitCache;
}

/** The host's heap limit, read once. */
export const heapLimit = limit;

function charged(p: Proc): number {
  let n = 0;
  for (const f of chargedTo) n += f(p);
  return n;
}

/** What the kernel counts against `p`. */
export function weight(p: Proc): number {
  return procMemory(p) + charged(p);
}

/** Is the heap short (more than 7/8 of its limit in use)? With no room
 *  even for the figures, it is. */
export function heapShort(): boolean {
  let m;
  try {
    m = platform().memory();
  } catch {
    return true;
  }
  return m.heapUsed * HIGH_DEN > m.heapLimit * HIGH_NUM;
}

/** The kernel's count grew by `bytes` (a message queued, a row stored): now
 *  and then, look at the heap and kill the largest process if it is short. */
export function grew(bytes: number): void {
  grown += bytes;
  if (grown * 64 < (heapLimitCache || limit()) || state.halted) return;
  grown = 0;
  if (heapShort()) relieve(limit() / 32);
}

/** For a table insert of `bytes`: as `grew`, but if the heap is still short
 *  after relief, false: the insert must fail in its caller, with an error. */
export function roomFor(bytes: number): boolean {
  grown += bytes;
  if (!stillShort && grown * 64 < limit()) return true;
  grown = 0;
  if (!heapShort()) return !(stillShort = false);
  relieve(limit() / 32);
  stillShort = heapShort();
  return !stillShort;
}

/** How many processes memory pressure has killed so far. */
export function deaths(): number {
  return killed;
}

/** Kills the process the kernel counts the most memory against, if it holds
 *  at least `least` bytes. Returns it, or null if none qualifies. */
export function relieve(least: number): Proc | null {
  let victim: Proc | null = null;
  let most = least;
  for (const p of procs.values()) {
    const n = weight(p);
    if (n >= most) {
      most = n;
      victim = p;
    }
  }
  if (!victim) return null;
  killed++;
  const queued = victim.queueLen();
  const tables = charged(victim);
  let heap = null;
  try {
    heap = platform().memory();
  } catch {
    // no room for the figures: the death comes first
  }
  die(victim, 'out_of_memory');
  try {
    const at = heap ? `the heap at ${heap.heapUsed} of ${heap.heapLimit} bytes` : 'the heap full';
    logger.error(`process ${victim.pid} killed: out of memory: it held the most, ${most} bytes (${queued} messages queued, ${tables} bytes of tables), with ${at}`);
  } catch {
    // the line could not be built: the death itself is what counts
  }
  return victim;
}
