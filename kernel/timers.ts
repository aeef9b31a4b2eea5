/**
 * The timer queue: many timers over the platform's one timer.
 *
 * A binary min-heap ordered on (deadline, sequence), so timers with the same
 * deadline fire in the order they were added. The platform timer is always
 * armed for the head of the heap.
 *
 * One due timer fires per platform handler call, then the timer is re-armed
 * for the next one (already due, so it fires at the next turn of the loop).
 * The host drains promise jobs after every handler call, which gives Node's
 * ordering: promise jobs queued by one timer callback run before the next
 * timer callback.
 *
 * Delays here are taken as given (0 means "next turn of the loop"); the
 * prelude applies Node's rule that 0 and 1 both mean 1 ms.
 */
import { platform } from './platform.ts';

export type TimerId = number;

interface Timer {
  id: TimerId;
  deadline: number;
  seq: number;
  fn: () => void;
  /** Milliseconds between firings, or -1 for a one-shot timer. */
  repeat: number;
  /** Index in the heap, or -1 once removed. */
  index: number;
}

const heap: Timer[] = [];
/** Made with the first timer, so that importing the kernel makes no Map (issue 11). */
let byId: Map<TimerId, Timer> | undefined;
let nextId = 1;
let nextSeq = 0;
/** Deadline the platform timer is armed for, or -1 when disarmed. */
let armedFor = -1;

function checkDelay(name: string, ms: number): void {
  if (typeof ms !== 'number' || !(ms >= 0) || ms === Infinity) {
    throw new TypeError(`${name} must be a finite number >= 0, got ${String(ms)}`);
  }
}

/** Calls `fn` once `delayMs` have passed, then every `repeatMs` if given. */
export function addTimer(delayMs: number, fn: () => void, repeatMs?: number): TimerId {
  checkDelay('addTimer: delay', delayMs);
  if (typeof fn !== 'function') throw new TypeError('addTimer: callback must be a function');
  if (repeatMs !== undefined) checkDelay('addTimer: repeat', repeatMs);
  const t: Timer = {
    id: nextId++,
    deadline: platform().monotonicMs() + delayMs,
    seq: nextSeq++,
    fn,
    repeat: repeatMs === undefined ? -1 : repeatMs,
    index: -1,
  };
  (byId ??= new Map()).set(t.id, t);
  push(t);
  rearm();
  return t.id;
}

/** Cancels a timer. Returns false if it had already fired (one-shot) or was
 *  never there; unknown ids are not an error, as with clearTimeout. */
export function removeTimer(id: TimerId): boolean {
  const t = byId?.get(id);
  if (!t) return false;
  byId!.delete(id);
  removeAt(t.index);
  rearm();
  return true;
}

/** Milliseconds until a live timer fires, or undefined. */
export function timeLeft(id: TimerId): number | undefined {
  const t = byId?.get(id);
  if (!t) return undefined;
  return Math.max(0, t.deadline - platform().monotonicMs());
}

/** Is a timer other than `except` due at `now`? O(1): the earliest timer
 *  but one is the heap's head, or one of its two children if `except` is the
 *  head. The scheduler asks between slices, to yield to due timers. */
export function dueOther(now: number, except: TimerId): boolean {
  const h = heap[0];
  if (!h) return false;
  if (h.id !== except) return h.deadline <= now;
  const a = heap[1];
  const b = heap[2];
  return (a !== undefined && a.deadline <= now) || (b !== undefined && b.deadline <= now);
}

/** Number of pending timers (for introspection and tests). */
export function pendingTimers(): number {
  return heap.length;
}

function onPlatformTimer(): void {
  armedFor = -1;
  const t = heap[0];
  if (!t || t.deadline > platform().monotonicMs()) {
    rearm();
    return;
  }
  removeAt(0);
  if (t.repeat >= 0) {
    t.deadline = platform().monotonicMs() + t.repeat;
    t.seq = nextSeq++;
    push(t);
  } else {
    byId!.delete(t.id);
  }
  // Arm before the call: if the callback throws, the queue is still armed.
  rearm();
  t.fn();
}

function rearm(): void {
  const head = heap[0];
  const p = platform();
  if (!head) {
    if (armedFor !== -1) p.disarmTimer();
    armedFor = -1;
    return;
  }
  if (armedFor === head.deadline) return;
  armedFor = head.deadline;
  p.armTimer(head.deadline, onPlatformTimer);
}

// ---- the heap ----

function before(a: Timer, b: Timer): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

/** Changes of the heap so far (a push or a removal): the scheduler asks
 *  dueOther again only once the clock or this has moved. */
export let heapChanges = 0;

function push(t: Timer): void {
  heapChanges++;
  t.index = heap.length;
  heap.push(t);
  up(t.index);
}

function removeAt(i: number): void {
  heapChanges++;
  const last = heap.pop()!;
  const removed = heap[i];
  if (i < heap.length) {
    heap[i] = last;
    last.index = i;
    up(i);
    down(last.index);
  }
  if (removed) removed.index = -1;
  else last.index = -1;
}

function up(i: number): void {
  const t = heap[i];
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(t, heap[parent])) break;
    heap[i] = heap[parent];
    heap[i].index = i;
    i = parent;
  }
  heap[i] = t;
  t.index = i;
}

function down(i: number): void {
  const t = heap[i];
  const n = heap.length;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const c = r < n && before(heap[r], heap[l]) ? r : l;
    if (!before(heap[c], t)) break;
    heap[i] = heap[c];
    heap[i].index = i;
    i = c;
  }
  heap[i] = t;
  t.index = i;
}
