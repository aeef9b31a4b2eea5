/**
 * Selective receive: a process waits for the oldest message matching its
 * matchers (all messages if none given); the others stay queued in arrival
 * order. An async body's `await receive(...)` parks it on a promise (its
 * `Waiter`) that the scheduler resolves when a message matches or `after`
 * passes. Within a slice a message already queued is taken at once, with no
 * switch.
 *
 * Told of arrivals and deaths through the layers' hooks: an arrival checks
 * the receiver's limits and the node's memory pressure, then wakes the
 * receiver if its wait matches; a death drops the process's wait.
 */
import { addTimer, removeTimer } from './timers.ts';
import { Proc, me, state, BARE, TIMEOUT, type Timeout, type Waiter } from './process.ts';
import { compileMatchers, type KeyTest, type Matcher } from './match.ts';
import type { Ref, Copied } from './term.ts';
import { takeValue, onArrival, setSkip, skipProc, skipKey, skipEnd } from './mailbox.ts';
import { onDeath } from './signals.ts';
import { grew } from './pressure.ts';
import { checkLimits, limitsSet } from './limits.ts';
import { enqueue, charge, mayGoOn, mayPollOn, blocked, inFlight, turnArmed } from './scheduler.ts';
import { push } from './run_queue.ts';
import { EnginePromise, pending, fulfill } from './engine_promise.ts';

export { TIMEOUT, type Timeout };

// receive's promises never reject, so they need no rejection tracking: they
// are the engine's own (engine_promise.ts), not the global Promise's, which
// a host may replace by a tracking subclass (the hosted runner does: there
// each promise made through it costs ~2.5 us more, in JS). `await` treats
// both alike: same jobs, same order. Where the engine gives the primitives,
// a promise has no resolving functions: the Waiter (or, for a receive of
// anything, the process's `resume`) holds the promise itself.

// One executor for every receive's promise, elsewhere: a closure per receive
// costs more than this hand-over (the executor runs synchronously).
let captured: ((v: unknown) => void) | null = null;
function captureResolve(resolve: (v: unknown) => void): void {
  captured = resolve;
}

/** The pending promise of a receive that waits; what settles it (the
 *  Waiter's `resolve`) is then `captured`, or the promise itself. */
function waiting(): Promise<unknown> {
  return pending !== null ? pending() : new EnginePromise(captureResolve);
}

/** A promise of v, for a receive that takes a queued message at once. */
function ready(v: unknown): Promise<unknown> {
  if (pending === null) return EnginePromise.resolve(v);
  const promise = pending();
  fulfill!(promise, v);
  return promise;
}

export interface ReceiveOptions {
  /** Milliseconds to wait for a match; then `receive` returns TIMEOUT. */
  after?: number;
}

/**
 * Selective receive: the oldest message matching any of `matchers` (all
 * messages if none given). Others stay queued in arrival order. The API's
 * `receive` itself (process_api.ts re-exports it: a call less a message).
 */
export function receive(matchers?: Matcher | Matcher[] | null, opts?: ReceiveOptions): Promise<unknown> {
  // receive() of any message, with no timeout: the message path's common
  // case, inline, without the matchers' set-up.
  if ((matchers === undefined || matchers === null) && opts === undefined) {
    // var, not const or let, on the message path: QuickJS checks a lexical
    // local's initialization at every read (and resets one in a block at each entry).
    var p = state.current;
    if (p === null || !p.alive || inFlight !== p) return receiveSome(null, undefined); // its errors
    var head = p.head;
    if (head < p.mailbox.length && mayGoOn(p)) {
      state.spent++; // charge(p), inline
      p.reductions++;
      var value = takeValue(p, head);
      if (pending === null) return EnginePromise.resolve(value);
      var taken = pending(); // ready(value), inline
      fulfill!(taken, value);
      return taken;
    }
    var promise = pending !== null ? pending() : new EnginePromise(captureResolve); // waiting(), inline
    // The shared BARE waiter: the wait costs the process only its promise
    // (a Waiter of its own took 208 B on x86-64 for as long as it waited).
    p.resume = captured ?? promise;
    captured = null;
    p.waiter = BARE;
    blocked(p);
    return promise;
  }
  // receive({ after: 50 }) reads as a timeout but is a pattern, and would
  // wait for a message { after: 50 } forever: say so instead.
  if (opts === undefined && typeof matchers === 'object' && matchers !== null && 'after' in matchers && isAfterOnly(matchers)) {
    throw new TypeError(`receive: { after: ${(matchers as { after: number }).after} } is a pattern here; for a timeout pass it second: receive(null, { after: ... })`);
  }
  return receiveSome(matchers ?? null, opts);
}

function isAfterOnly(m: unknown): boolean {
  if (m === null || typeof m !== 'object' || Object.getPrototypeOf(m) !== Object.prototype) return false;
  const keys = Object.keys(m);
  return keys.length === 1 && keys[0] === 'after' && typeof (m as { after: unknown }).after === 'number';
}

/** receive with matchers or options (sleep's too). */
export function receiveSome(matchers: Matcher | Matcher[] | null, opts: ReceiveOptions | undefined): Promise<unknown> {
  const p = me('receive');
  if (inFlight !== p) throw new Error('receive: the process is not running (a behaviour\'s init cannot receive)');
  const list = matchers === null || matchers === undefined ? null : Array.isArray(matchers) ? matchers : [matchers];
  if (list) {
    for (const m of list) {
      if (m === null || m === undefined || typeof m === 'symbol') {
        throw new TypeError(`receive: a matcher must be a function, a pattern object or a primitive, got ${String(m)}`);
      }
    }
  }
  const after = opts?.after;
  if (after !== undefined && (typeof after !== 'number' || !(after >= 0))) {
    throw new TypeError(`receive: after must be a number >= 0 or Infinity, got ${String(after)}`);
  }
  const test = compileMatchers(list);
  // A short queue is scanned sooner than the mark is checked.
  const marked = p.markRef !== null && p.mailbox.length - p.head > MARK_WORTH && list !== null && onlyOn(list, p.markRef);
  const found = scan(p, test, marked ? markedStart(p) : p.head);
  // Taken at once (no switch) while the slice lasts.
  if (found >= 0 && mayGoOn(p)) {
    charge(p);
    return ready(takeValue(p, found));
  }
  // A poll (after 0, or sleep(0)) costs a reduction like any receive, so a
  // polling loop still yields when its slice is spent, or has run its time.
  const poll = found < 0 && after === 0;
  if (poll && mayPollOn(p)) {
    charge(p);
    return ready(TIMEOUT);
  }
  const promise = waiting();
  const w: Waiter = { test, scanned: p.mailbox.length, found, timedOut: poll, timer: 0, resolve: captured ?? promise };
  captured = null;
  p.waiter = w;
  if (found < 0 && !poll && after !== undefined && after !== Infinity) w.timer = addTimer(after, () => receiveTimedOut(p, w));
  blocked(p);
  return promise;
}

function receiveTimedOut(p: Proc, w: Waiter): void {
  w.timer = 0;
  if (p.alive && p.waiter === w && w.found < 0) {
    w.timedOut = true;
    enqueue(p);
  }
}

/** Messages a receive has tested, since the node started (a count for
 *  tests: call_with_huge_message_queue). */
let examined = 0;
export function messagesExamined(): number {
  return examined;
}

function scan(p: Proc, test: ((v: unknown) => boolean) | null, from: number): number {
  const box = p.mailbox;
  if (!test) return from < box.length ? from : -1;
  const k = (test as KeyTest).key;
  if (k !== undefined) return scanKey(p, k, (test as KeyTest).want, from);
  if ((test as KeyTest).exposes && from < box.length && !p.exposed) p.exposed = true;
  for (let i = from; i < box.length; i++) {
    examined++;
    if (test(box[i].value)) return i;
  }
  return -1;
}

/** A single-key pattern (receive({ ref }), { mark: i }), inline with no call
 *  per message. Its want is never undefined (match.ts), so a message with
 *  nothing under the key never matches: the scan notes how far from the
 *  head the messages are such (the mailbox's memo), and the next scan on the
 *  same key starts there, while no prototype a memo's message can have
 *  (Object's, Array's) has the key: a receive behind 10,000 queued
 *  messages of another shape then tests only what came since. A function
 *  matcher is handed queued messages themselves, which the program may keep
 *  and change: once one has run, the memo is off for that mailbox until it
 *  drains (Proc.exposed). */
function scanKey(p: Proc, k: string, want: unknown, from: number): number {
  const box = p.mailbox;
  const n = box.length;
  const head = p.head;
  let i = from;
  // A mailbox a function matcher has seen may have changed under the memo.
  const memo = !p.exposed;
  if (memo && skipProc === p && skipKey === k && skipEnd > from && !(k in Object.prototype) && !(k in Array.prototype)) i = skipEnd;
  // Only a scan from the head or the memo's end can extend the memo.
  let clean = memo && (i === head || (skipProc === p && skipKey === k && i === skipEnd));
  const start = i;
  let end = i;
  for (; i < n; i++) {
    const v = box[i].value as Record<string, unknown>;
    if (v !== null && typeof v === 'object') {
      const got = v[k];
      if (got === want) break;
      if (clean && (got !== undefined || !memoShape(v))) clean = false;
    }
    if (clean) end = i + 1;
  }
  examined += i < n ? i - start + 1 : n - start;
  if (end > start && (end > skipEnd || skipProc !== p || skipKey !== k)) setSkip(p, k, end);
  return i < n ? i : -1;
}

/** May a message be in the memo: a plain object or array (whose value under
 *  a key, once undefined, stays so while their prototypes lack the key)? */
function memoShape(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null || proto === Array.prototype;
}

/** The last message in p's mailbox (null: none), taken before a ref is
 *  made (a monitor of no process queues its DOWN as it makes the ref). */
export function lastMessage(p: Proc): Copied | null {
  return p.head < p.mailbox.length ? p.mailbox[p.mailbox.length - 1]! : null;
}

/** Marks p's mailbox for `ref` (OTP's recv_mark) at `last`, what
 *  lastMessage gave just before the ref was made: a receive that matches
 *  only on the ref need not look at that message or any before it. */
export function markReceive(p: Proc, ref: Ref, last: Copied | null): void {
  p.markRef = ref;
  p.markAt = last;
}

/** Queued messages past which a receive looks for the mark (the check
 *  costs about what testing a few messages does). */
const MARK_WORTH = 8;

/** Does every matcher name `ref` as one of its fields' values? Then no
 *  message queued before the ref was made can match. */
function onlyOn(list: Matcher[], ref: Ref): boolean {
  for (const m of list) {
    if (typeof m !== 'object' || Object.getPrototypeOf(m) !== Object.prototype) return false;
    let names = false;
    for (const k in m) if ((m as Record<string, unknown>)[k] === ref) names = true;
    if (!names) return false;
  }
  return list.length > 0;
}

/** Where a receive on the mark's ref starts: after the message that was
 *  last when it was made, found from the end (so the search costs what
 *  arrived since); if that message was taken meanwhile, the head. */
function markedStart(p: Proc): number {
  const at = p.markAt;
  if (at === null) return p.head;
  const box = p.mailbox;
  for (let i = box.length - 1; i >= p.head; i--) if (box[i] === at) return i + 1;
  return p.head;
}

/** A message reached p's mailbox (already pushed): p's limits, the node's
 *  memory pressure, then p's wait. */
onArrival((p, m) => {
  if (limitsSet && (p.maxMailboxLen > 0 || p.maxHeapSize > 0) && !checkLimits(p)) return;
  grew(m.size);
  if (!p.alive) return;
  var w = p.waiter;
  if (w === null) {
    if (p.handler !== null && inFlight !== p) enqueue(p);
  } else if (w === BARE) {
    // Any message is its match; never running (it blocked). enqueue's
    // common case inline (p is alive): the turn is armed already.
    if (p.queued) return;
    if (turnArmed && !state.halted) {
      push(p);
      p.queued = true;
    } else enqueue(p);
  } else if (w.found < 0 && !w.timedOut) {
    var n = p.mailbox.length;
    // The common case inline: a receive of any message finds what arrived.
    var i = w.test === null ? (w.scanned < n ? w.scanned : -1) : scan(p, w.test, w.scanned);
    w.scanned = n;
    if (i >= 0) {
      w.found = i;
      if (inFlight !== p) enqueue(p);
    }
  }
});

/** A dead process waits no more. */
onDeath.push((p: Proc) => {
  const w = p.waiter;
  if (w === null) return;
  if (w.timer) removeTimer(w.timer);
  p.waiter = null;
  if (w === BARE) p.resume = null; // its receive's promise goes
});
