/**
 * The run queues, one per priority, as OTP's scheduler has them: `max`
 * runs before `high`, `high` before `normal` and `low` (strictly: a busy
 * high process starves the others, as in OTP); while a `low` process
 * waits, it runs after every 8 `normal` ones. The scheduler (scheduler.ts)
 * pushes and takes; nothing else here decides when a process runs.
 *
 * Each queue is an array read from a head index (no shift per take).
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

class Queue {
  items: (Proc | undefined)[] = [];
  head = 0;
  size(): number {
    return this.items.length - this.head;
  }
  take(): Proc {
    const p = this.items[this.head]!;
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 4096) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return p;
  }
}

const queues = [new Queue(), new Queue(), new Queue(), new Queue()];
const low = queues[0];
const normal = queues[NORMAL];
/** Processes queued, all priorities (read by the scheduler's loop as a
 *  live binding: a call per switch to ask costs more than the answer). */
export let total = 0;
/** Of those, at high or max: most nodes have none, so one test skips both. */
let urgent = 0;
/** Of those, at low. */
let lows = 0;
/** Normal processes taken since a low one waited or ran. */
let normalsTaken = 0;

export function push(p: Proc): void {
  queues[p.priority].items.push(p);
  total++;
  if (p.priority !== NORMAL) {
    if (p.priority >= HIGH) urgent++;
    else lows++;
  }
}

/** Is any process queued? */
export function anyQueued(): boolean {
  return total > 0;
}

/** The next process to run; only when anyQueued(). */
export function take(): Proc {
  total--;
  // The common case first, with no call: only normal processes queued.
  if (urgent === 0 && lows === 0) {
    normalsTaken = 0;
    // Queue.take inline: this is once per switch.
    const q = normal;
    const p = q.items[q.head]!;
    q.items[q.head++] = undefined;
    if (q.head === q.items.length) {
      q.items.length = 0;
      q.head = 0;
    } else if (q.head > 4096) {
      q.items.splice(0, q.head);
      q.head = 0;
    }
    return p;
  }
  if (urgent > 0) {
    urgent--;
    return queues[MAX].size() > 0 ? queues[MAX].take() : queues[HIGH].take();
  }
  if (normal.size() === 0 || normalsTaken >= NORMALS_PER_LOW) {
    normalsTaken = 0;
    lows--;
    return low.take();
  }
  normalsTaken++;
  return normal.take();
}
