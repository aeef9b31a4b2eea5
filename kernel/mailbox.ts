/**
 * Delivery into a mailbox, with the per-process limits: a process whose
 * queue passes `maxMailboxLen`, or whose heap estimate (queued messages plus
 * the state its behaviour reports) passes `maxHeapSize`, is killed (reason
 * `killed`, as Erlang's max_heap_size does) with a log line saying why.
 * Each message also counts towards the node's memory pressure (pressure.ts),
 * which may kill the largest process, this one or another.
 */
import { Proc, procMemory, holdBinaries, EMPTY } from './process.ts';
import { copyTerm, type Copied } from './term.ts';
import { arrived } from './scheduler.ts';
import { die } from './signals.ts';
import { grew } from './pressure.ts';
import * as logger from './logger.ts';

/** Queues an already-copied message. */
export function enqueueMessage(p: Proc, m: Copied): void {
  if (!p.alive) return;
  if (p.mailbox === EMPTY) p.mailbox = [];
  p.mailbox.push(m);
  p.queuedBytes += m.size;
  if (m.binaries) holdBinaries(m.binaries);
  if (!checkLimits(p)) return;
  grew(m.size);
  if (p.alive) arrived(p);
}

/** Queues a kernel message (EXIT, DOWN, replies built by the kernel). */
export function deliver(p: Proc, value: unknown): void {
  if (!p.alive) return;
  enqueueMessage(p, copyTerm(value, 'deliver'));
}

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
