/**
 * The run queues, one per priority, as OTP's scheduler has them: `max`
 * runs before `high`, `high` before `normal` and `low` (strictly: a busy
 * high process starves the others, as in OTP); while a `low` process
 * waits, it runs after every 8 `normal` ones. The scheduler (scheduler.ts)
 * pushes and takes; nothing else here decides when a process runs.
 *
 * Each queue is a ring that doubles when full.
 */
import type { Proc } from './process.ts';

export type Priority = 'low' | 'normal' | 'high' | 'max';
/** A Proc's `priority` is the index in this list: low 0 ... max 3. */
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'max'];
export const NORMAL = 1;
const HIGH = 2;
const MAX = 3;

/** Normal processes run before a waiting low one gets its turn. */
const NORMALS_PER_LOW = 8;

/** A ring of processes: push at the tail, take at the head, grown by doubling
 *  (no array call and no length change per push or take). */
class Queue {
  items: (Proc | undefined)[] = [undefined, undefined, undefined, undefined];
  head = 0;
  count = 0;
  size(): number {
    return this.count;
  }
  push(p: Proc): void {
    const items = this.items;
    const n = items.length;
    if (this.count === n) {
      // Full: unroll the ring into one twice its size.
      const grown: (Proc | undefined)[] = new Array(2 * n);
      for (let i = 0; i < n; i++) grown[i] = items[(this.head + i) & (n - 1)];
      for (let i = n; i < 2 * n; i++) grown[i] = undefined;
      this.items = grown;
      this.head = 0;
      grown[n] = p;
    } else items[(this.head + this.count) & (n - 1)] = p;
    this.count++;
  }
  take(): Proc {
    const items = this.items;
    const h = this.head;
    const p = items[h]!;
    items[h] = undefined;
    this.head = (h + 1) & (items.length - 1);
    this.count--;
    return p;
  }
}

/** low, high and max (normal's queue is the ring below). */
const queues = [new Queue(), null, new Queue(), new Queue()] as Queue[];
const low = queues[0];
/** Processes queued, all priorities (read by the scheduler's loop as a
 *  live binding: a call per switch to ask costs more than the answer). */
export let total = 0;
/** Of those, at high or max: most nodes have none, so one test skips both. */
let urgent = 0;
/** Of those, at low. */
let lows = 0;
/** Normal processes taken since a low one waited or ran. */
let normalsTaken = 0;

// The normal queue's ring, in module variables: the switch's common case
// reads them without a field lookup.
let ring: (Proc | undefined)[] = [undefined, undefined, undefined, undefined];
let ringMask = 3;
let ringHead = 0;
let ringCount = 0;

function growRing(): void {
  const n = ring.length;
  const grown: (Proc | undefined)[] = new Array(2 * n);
  for (let i = 0; i < n; i++) grown[i] = ring[(ringHead + i) & ringMask];
  for (let i = n; i < 2 * n; i++) grown[i] = undefined;
  ring = grown;
  ringMask = 2 * n - 1;
  ringHead = 0;
}

export function push(p: Proc): void {
  // var, not const or let, on the message path: QuickJS checks a lexical
  // local's initialization at every read (and resets one in a block at each entry).
  var priority = p.priority;
  // Counted once in: a ring's growth can fail (out of memory), and a count
  // ahead of the ring made take() return a process that is not there.
  if (priority === NORMAL) {
    if (ringCount > ringMask) growRing();
    ring[(ringHead + ringCount++) & ringMask] = p;
    total++;
    return;
  }
  queues[priority].push(p);
  total++;
  if (priority >= HIGH) urgent++;
  else lows++;
}

/** Is any process queued? */
export function anyQueued(): boolean {
  return total > 0;
}

/** The next process to run; only when anyQueued(). */
export function take(): Proc {
  total--;
  // The common case first: only normal processes queued.
  if (urgent === 0 && lows === 0) {
    normalsTaken = 0;
    // takeNormal inline: this is once per switch.
    var h = ringHead;
    var p = ring[h]!;
    ring[h] = undefined;
    ringHead = (h + 1) & ringMask;
    ringCount--;
    return p;
  }
  if (urgent > 0) {
    urgent--;
    return queues[MAX].size() > 0 ? queues[MAX].take() : queues[HIGH].take();
  }
  if (ringCount === 0 || normalsTaken >= NORMALS_PER_LOW) {
    normalsTaken = 0;
    lows--;
    return low.take();
  }
  normalsTaken++;
  return takeNormal();
}

function takeNormal(): Proc {
  const h = ringHead;
  const p = ring[h]!;
  ring[h] = undefined;
  ringHead = (h + 1) & ringMask;
  ringCount--;
  return p;
}
