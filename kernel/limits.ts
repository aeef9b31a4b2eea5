/**
 * Per-process limits: a process whose queue passes `maxMailboxLen`, or
 * whose heap estimate (queued messages plus the state its behaviour
 * reports, at most the heap in use) passes `maxHeapSize`, is killed
 * (reason `killed`, as Erlang's max_heap_size does) with a log line saying
 * why. Checked at each arrival (receive.ts) and each report of a
 * behaviour's state (process_api.ts).
 */
import { Proc, procMemory } from './process.ts';
import { die } from './signals.ts';
import { heapInUse } from './pressure.ts';
import * as logger from './logger.ts';

/** Has any process been given a limit? Until one is, an arrival checks
 *  nothing here (receive.ts): two reads of a prototype's default a
 *  message, each a missed own lookup and the prototype's. */
export let limitsSet = false;

/** A process is given maxMailboxLen or maxHeapSize (process_api.ts). */
export function limitsInUse(): void {
  limitsSet = true;
}

/** Returns false (after killing p) if p is over one of its limits. */
export function checkLimits(p: Proc): boolean {
  if (p.maxMailboxLen > 0 && p.queueLen() > p.maxMailboxLen) {
    logger.error(`process ${p.pid} killed: message queue over maxMailboxLen (${p.maxMailboxLen})`);
    die(p, 'killed');
    return false;
  }
  if (p.maxHeapSize > 0 && procMemory(p) > p.maxHeapSize) {
    // The estimate counts a string in every message that holds it, though
    // the copies share it (term.ts): no process holds more than the heap
    // in use, which bounds it (one host call, only past the limit).
    const held = Math.min(procMemory(p), heapInUse());
    if (held <= p.maxHeapSize) return true;
    logger.error(`process ${p.pid} killed: heap ${held} bytes over maxHeapSize (${p.maxHeapSize})`);
    die(p, 'killed');
    return false;
  }
  return true;
}
