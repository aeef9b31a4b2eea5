/**
 * The mailbox: one process's queue of copied messages, oldest first.
 * Delivery appends a message and says that it arrived; taking removes one;
 * a death drops them all. Nothing here kills, schedules or logs: what an
 * arrival sets off (the receiver's limits, memory pressure, waking it) is
 * decided above, through the one hook `onArrival` (set by receive.ts).
 */
import { Proc, EMPTY, BARE } from './process.ts';
import { holdBinaries, releaseBinaries } from './binaries.ts';
import { copyTerm, recycle, type Copied } from './term.ts';

let arrival: (p: Proc, m: Copied) => void = () => {};

/** A drained mailbox's array, emptied, for the next process whose mailbox
 *  fills: a ping-pong drains and refills a mailbox at every message, and a
 *  new array (with its first growth) costs QuickJS more than the rest of
 *  the queueing. One at most, so no idle process keeps one. */
let spareBox: Copied[] | null = null;
/** Messages past which a drained array is not kept. */
const SPARE_MAX = 16;

/** A scan's memo (receive.ts): in `skipProc`'s mailbox no message from its
 *  head up to `skipEnd` has a value under the key `skipKey` (each is a
 *  primitive, or a plain object or array whose own `skipKey` is absent or
 *  undefined, as receive's scan found it: copies are never changed, but
 *  for what a function matcher was handed, Proc.exposed). One process at a
 *  time; takeMessage keeps the end in step with the queue. */
export let skipProc: Proc | null = null;
export let skipKey = '';
export let skipEnd = 0;

/** receive.ts found the messages from p's head up to `end` without `key`. */
export function setSkip(p: Proc, key: string, end: number): void {
  skipProc = p;
  skipKey = key;
  skipEnd = end;
}

/** Sets what a message's arrival sets off (once, by the layer above). */
export function onArrival(fn: (p: Proc, m: Copied) => void): void {
  arrival = fn;
}

/** Queues an already-copied message. */
export function enqueueMessage(p: Proc, m: Copied): void {
  // var, not const or let, on the message path: QuickJS checks a lexical
  // local's initialization at every read (and resets one in a block at each entry).
  if (!p.alive) return;
  var box = p.mailbox;
  if (box === EMPTY) {
    box = p.mailbox = spareBox ?? [];
    spareBox = null;
  }
  box[box.length] = m; // push without a call
  p.queuedBytes += m.size;
  if (m.binaries) holdBinaries(m.binaries);
  arrival(p, m);
}

/** Queues a kernel message (EXIT, DOWN, replies built by the kernel). */
export function deliver(p: Proc, value: unknown): void {
  if (!p.alive) return;
  enqueueMessage(p, copyTerm(value, 'deliver'));
}

/** Takes message `i` (an index >= head) out of the mailbox. */
export function takeMessage(p: Proc, i: number): Copied {
  const box = p.mailbox;
  const m = box[i];
  const head = p.head;
  if (p === skipProc) {
    // The memo's messages keep their order: only their indices move.
    if (head + 1 === box.length) skipProc = null;
    else if (i > head && i < skipEnd) skipEnd--;
    else if (i === head && head >= 1024 && (head + 1) * 2 > box.length) skipEnd -= head + 1;
  }
  if (i === head) {
    if (head + 1 === box.length) {
      // The last one: the mailbox is empty again, its array kept for the
      // next if it never held many (an emptied array keeps its storage).
      if (spareBox === null && head < SPARE_MAX) {
        box.length = 0;
        spareBox = box;
      }
      p.mailbox = EMPTY;
      if (head !== 0) p.head = 0;
      if (p.exposed) p.exposed = false;
    } else {
      box[i] = undefined as unknown as Copied;
      p.head = head + 1;
      if (head >= 1024 && (head + 1) * 2 > box.length) {
        p.mailbox = box.slice(head + 1);
        // BARE's message is the head's: nothing of it to move.
        if (p.waiter !== null && p.waiter !== BARE) {
          p.waiter.scanned -= head + 1;
          if (p.waiter.found >= 0) p.waiter.found -= head + 1;
        }
        p.head = 0;
      }
    }
  } else {
    box.splice(i, 1);
    if (head === box.length) {
      p.mailbox = EMPTY;
      p.head = 0;
      if (p.exposed) p.exposed = false;
    }
  }
  p.queuedBytes -= m.size;
  p.heldBytes = m.size;
  if (m.binaries) releaseBinaries(m.binaries);
  // The receive mark (receive.ts) is at this message: it can no longer be
  // found, and must not keep the message alive.
  if (p.markAt === m) {
    p.markRef = null;
    p.markAt = null;
  }
  return m;
}

/** Takes message `i` out of the mailbox as takeMessage does and gives its
 *  value, its record going back to term.ts's pool (nothing else refers to
 *  a taken message's record: the receive mark lets go of it here). */
export function takeValue(p: Proc, i: number): unknown {
  var box = p.mailbox;
  // The message path's common case inline: the only message queued (a
  // ping-pong's, a ring's), taken as takeMessage takes the last one.
  if (i === 0 && box.length === 1 && p !== skipProc) {
    var m = box[0];
    if (spareBox === null) {
      box.length = 0;
      spareBox = box;
    }
    p.mailbox = EMPTY;
    if (p.exposed) p.exposed = false;
    p.queuedBytes -= m.size;
    p.heldBytes = m.size;
    if (m.binaries) releaseBinaries(m.binaries);
    if (p.markAt === m) {
      p.markRef = null;
      p.markAt = null;
    }
    var value = m.value;
    recycle(m);
    return value;
  }
  var m = takeMessage(p, i);
  var value = m.value;
  recycle(m);
  return value;
}

/** p died: its queued messages go, and their binaries with them. */
export function dropMailbox(p: Proc): void {
  if (p === skipProc) skipProc = null;
  for (let i = p.head; i < p.mailbox.length; i++) {
    const m = p.mailbox[i];
    if (m?.binaries) releaseBinaries(m.binaries);
  }
  // Only what differs from the defaults is written: a field's first write
  // allocates, and a death must free before it allocates (pressure.ts).
  if (p.mailbox !== EMPTY) p.mailbox = EMPTY;
  if (p.head !== 0) p.head = 0;
  if (p.queuedBytes !== 0) p.queuedBytes = 0;
}
