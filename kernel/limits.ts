/**
 * Per-process limits: a process whose queue passes `maxMailboxLen`, or
 * whose heap estimate (queued messages plus the state its behaviour
 * reports) passes `maxHeapSize`, is killed (reason `killed`, as Erlang's
 * max_heap_size does) with a log line saying why. Checked at each arrival
 * (receive.ts) and each report of a behaviour's state (process_api.ts).
 */
import { Proc, procMemory } from './process.ts';
import { die } from './signals.ts';
import * as logger from './logger.ts';

/** Returns false (after killing p) if p is over one of its limits. */
export function checkLimits(p: Proc): boolean {
  if (p.maxMailboxLen > 0 && p.queueLen() > p.maxMailboxLen) {
    logger.error(`process ${p.pid} killed: message queue over maxMailboxLen (${p.maxMailboxLen})`);
    die(p, 'killed');
    return false;
  }
  if (p.maxHeapSize > 0 && procMemory(p) > p.maxHeapSize) {
    logger.error(`process ${p.pid} killed: heap ${procMemory(p)} bytes over maxHeapSize (${p.maxHeapSize})`);
    die(p, 'killed');
    return false;
  }
  return true;
}
