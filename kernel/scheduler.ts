/**
 * The scheduler: a fair run queue with a reduction budget.
 *
 * One reduction is one message handled, one resumption of an async body, or
 * one send. A turn runs processes until `turnReductions` are spent, then
 * yields to the host's event loop through a 0 ms timer, so timers and input
 * keep flowing; a due timer ends the turn sooner, at the next switch. A
 * process runs at most `sliceReductions`, or `runawayMs / 8` of time, before
 * it goes to the back.
 *
 * Two kinds of processes share the queue:
 *   - behaviour processes (`Handler`): the scheduler calls `onMessage` per
 *     message; no JS frame is held while they wait;
 *   - async bodies: `await receive(...)` parks the body; the scheduler
 *     resolves the promise when a message matches, and the body runs on as
 *     promise jobs. While it runs it is `inFlight`, and `current` names it.
 *     When it blocks again (or returns) it calls back here and the next
 *     process runs, still inside the same drain of promise jobs.
 *
 * A body that awaits a promise the kernel does not control breaks that chain:
 * the job queue empties without a call back. The next turn (a timer, so it
 * runs only after all promise jobs) marks it `detached` and moves on; kernel
 * calls it makes later, outside any process, throw a clear error.
 *
 * Runaways: every slice runs under `platform().guard(runawayMs)`. Hosts that
 * can interrupt JS abort it and call us back; all hosts also get a check when
 * the slice ends. Either way the process dies with reason `killed`.
 *
 * Out of memory: where the engine's error surfaces in the scheduler's own
 * work for a process, that process dies with `out_of_memory` (and the
 * largest by pressure.ts's count, if the heap is still short); the node goes
 * on. Only when not even a death can be logged does it stop (status 101).
 */
import { Exit, platform } from './platform.ts';
import { addTimer, removeTimer, dueOther, type TimerId } from './timers.ts';
import { Proc, state, compileMatchers, type Matcher, type Waiter } from './process.ts';
import { takeMessage, onArrival } from './mailbox.ts';
import { die, onDeath, reasonOf, isOutOfMemory, ProcessExit } from './signals.ts';
import { grew, heapLimit, heapShort, relieve } from './pressure.ts';
import { checkLimits } from './limits.ts';
import * as logger from './logger.ts';
import { errorText } from './inspect.ts';

export const config = {
  /** A slice longer than this kills the process (reason `killed`). */
  runawayMs: 2000,
  /** Reductions per event-loop turn before yielding to the host. */
  turnReductions: 4000,
  /** Reductions a process may take before going to the back of the queue. */
  sliceReductions: 200,
};

/** What `receive` returns when its `after` timeout passes. */
export const TIMEOUT: unique symbol = Symbol('mote.timeout');
export type Timeout = typeof TIMEOUT;

const runq: (Proc | undefined)[] = [];
let rqHead = 0;
let looping = false;
let turnArmed = false;
/** The timer of the next turn, while armed: not one the turn yields to. */
let turnTimer: TimerId = 0;
let inFlight: Proc | null = null;
let budget = 0;

const now = (): number => platform().monotonicMs();

// Host calls are not free (about 5 us each on quickjs-emscripten, where
// Date.now() is native and costs ~0.2 us), and a ping-pong switches on every
// message. So a switch reads the host clock again only once Date.now()'s
// millisecond has moved, or every 64th switch (should Date.now() stand
// still); otherwise the last reading stands, at most about a millisecond old.
// A runaway (runawayMs of wall time) always moves Date.now(), so it is always
// judged on a fresh reading. Entries from the host loop (turn, trip, foreign
// promises) drop the reading: virtual-time hosts move the clock in between.
// Taken once: a global lookup per switch is slow in a node:vm context.
const wallNow = Date.now;
let clockMono = 0;
let clockWall = NaN;
let clockUses = 0;
function clockAtSwitch(): number {
  const w = wallNow();
  if (w !== clockWall || ++clockUses >= 64) {
    clockWall = w;
    clockUses = 0;
    clockMono = now();
  }
  return clockMono;
}
function dropClock(): void {
  clockWall = NaN;
}

// The guard is re-armed only when a quarter of runawayMs has passed since it
// was last armed, not on every switch: on interrupting hosts a process is
// killed after running between 3/4 and all of runawayMs without yielding,
// and the trip kills the process running at that moment.
let guardArmedAt = -1;
function armGuard(t: number): void {
  if (guardArmedAt !== -1 && t - guardArmedAt < config.runawayMs / 4) return;
  guardArmedAt = t;
  platform().guard(config.runawayMs, tripped);
}
/** After a change of runawayMs: the next switch arms the guard anew. */
export function guardConfigChanged(): void {
  guardArmedAt = -1e9;
}
function disarmGuard(): void {
  if (guardArmedAt === -1) return;
  guardArmedAt = -1;
  platform().guard(0, null);
}

export function enqueue(p: Proc): void {
  if (p.queued || !p.alive || state.halted) return;
  p.queued = true;
  runq.push(p);
  armTurn();
}

function armTurn(): void {
  if (turnArmed || state.halted) return;
  turnTimer = addTimer(0, turn);
  turnArmed = true; // only once the timer is there: else nothing would ever run again
}

/** A timer other than the next turn's is due: the turn ends at the next
 *  switch, so that a due timer waits for one slice at most, never for the
 *  whole run queue, however busy its processes are. */
function timerDue(): boolean {
  return dueOther(clockAtSwitch(), turnTimer);
}

/** Checked at every 16th reduction of a slice: has the slice run long enough
 *  (an eighth of runawayMs, so that a process that yields is never judged a
 *  runaway), or is a timer due? Then the process yields at its next receive. */
function sliceOver(p: Proc): boolean {
  return clockAtSwitch() - p.sliceStart > config.runawayMs / 8 || timerDue();
}

/** A send costs the sender a reduction, as in BEAM: a loop that sends and
 *  then polls (`await sleep(0)`) yields at the poll once its slice is spent. */
export function chargeSend(p: Proc): void {
  p.sliceLeft--;
  p.reductions++;
  budget--;
}

function turn(): void {
  turnArmed = false;
  turnTimer = 0;
  dropClock();
  if (state.halted) return;
  if (inFlight) {
    // Promise jobs all ran and it never called back: it awaits a foreign
    // promise, or, with the heap short, the engine lost its continuation
    // (QuickJS drops a promise job it cannot allocate, without a word).
    const p = inFlight;
    p.detached = true;
    p.busy = false;
    inFlight = null;
    state.current = null;
    if (p.alive && heapShort()) outOfMemory(p);
  }
  budget = config.turnReductions;
  runLoop();
}

export function runLoop(): void {
  if (looping || state.halted) return;
  looping = true;
  try {
    while (!inFlight && budget > 0 && rqHead < runq.length && !state.halted) {
      if (timerDue()) break;
      const p = runq[rqHead]!;
      runq[rqHead++] = undefined;
      p.queued = false;
      if (!p.alive) continue;
      try {
        step(p);
      } catch (e) {
        lost(p, e);
      }
    }
    if (rqHead === runq.length) {
      runq.length = 0;
      rqHead = 0;
    } else if (rqHead > 4096) {
      runq.splice(0, rqHead);
      rqHead = 0;
    }
  } finally {
    looping = false;
  }
  if (state.halted) return;
  if (inFlight || rqHead < runq.length) armTurnOrStop();
  if (!inFlight) disarmGuard();
}

/** The next turn must be armed, or nothing would run again: if the timer
 *  cannot be allocated, the largest process gives its memory back. */
function armTurnOrStop(): void {
  try {
    armTurn();
  } catch {
    try {
      relieve(0);
      armTurn();
    } catch {
      nodeOutOfMemory();
    }
  }
}

function begin(p: Proc): void {
  state.current = p;
  p.sliceLeft = config.sliceReductions;
  p.sliceStart = clockAtSwitch();
  armGuard(p.sliceStart);
}

/** The host aborted a runaway slice: the stack is gone, repair and go on. */
function tripped(): void {
  guardArmedAt = -1;
  const p = state.current ?? inFlight;
  looping = false;
  inFlight = null;
  state.current = null;
  dropClock();
  if (p) {
    p.busy = false;
    if (p.alive) runaway(p, now() - p.sliceStart);
  }
  armTurn();
}

function runaway(p: Proc, ms: number): void {
  logger.error(`process ${p.pid} ran ${Math.round(ms)} ms without yielding (limit ${config.runawayMs} ms): killed`);
  die(p, 'killed');
}

/** Ends p's slice: runaway check, then requeue if it has more to do. */
function endSlice(p: Proc): void {
  if (state.current === p) state.current = null;
  if (!p.alive) return;
  const ms = clockAtSwitch() - p.sliceStart;
  if (ms > config.runawayMs) return runaway(p, ms);
  if (runnable(p)) enqueue(p);
}

function runnable(p: Proc): boolean {
  if (p.busy) return false;
  if (p.waiter) return p.waiter.found >= 0 || p.waiter.timedOut;
  return p.handler !== null && p.queueLen() > 0;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as PromiseLike<unknown>).then === 'function';
}

function step(p: Proc): void {
  begin(p);
  if (p.start) {
    const body = p.start;
    p.start = null;
    p.busy = true;
    inFlight = p;
    budget--;
    p.reductions++;
    let r: unknown;
    try {
      r = body();
    } catch (e) {
      return bodyDone(p, e, true);
    }
    if (isThenable(r)) {
      follow(
        p,
        r,
        () => bodyDone(p, 'normal', false),
        (e) => bodyDone(p, e, true),
      );
    } else {
      bodyDone(p, 'normal', false);
    }
    return;
  }
  const w = p.waiter;
  if (w) {
    if (w.found < 0 && !w.timedOut) return endSlice(p);
    p.waiter = null;
    if (w.timer) removeTimer(w.timer);
    const value = w.found >= 0 ? takeMessage(p, w.found).value : TIMEOUT;
    p.busy = true;
    inFlight = p;
    budget--;
    p.sliceLeft--;
    p.reductions++;
    w.resolve(value);
    return;
  }
  const h = p.handler;
  while (h && p.alive && p.queueLen() > 0 && p.sliceLeft > 0 && budget > 0 && !p.waiter) {
    if ((p.sliceLeft & 15) === 0 && sliceOver(p)) break;
    const m = takeMessage(p, p.head);
    budget--;
    p.sliceLeft--;
    p.reductions++;
    // Busy while the handler runs, so that an async handler may receive
    // before its first await.
    p.busy = true;
    inFlight = p;
    let r: unknown;
    try {
      r = h.onMessage(m.value);
    } catch (e) {
      release(p);
      if (!state.halted) crash(p, e);
      break;
    }
    if (isThenable(r)) {
      follow(
        p,
        r,
        () => handlerDone(p, false, undefined),
        (e) => handlerDone(p, true, e),
      );
      return;
    }
    release(p);
    state.current = p;
    if (p.waiter) {
      forget(p);
      crash(p, new Error('receive: called from a behaviour handler that returned without awaiting it'));
      break;
    }
  }
  endSlice(p);
}

const ignore = (): void => {};

/** Waits for p's promise. If even that cannot be allocated, p's continuation
 *  is lost: p dies (lost), and once that has freed memory the promise gets a
 *  handler after all, or its rejection would stop the host as unhandled. */
function follow(p: Proc, r: PromiseLike<unknown>, ok: () => void, fail: (e: unknown) => void): void {
  try {
    r.then(ok, fail);
  } catch (e) {
    lost(p, e);
    try {
      r.then(ignore, ignore);
    } catch {
      nodeOutOfMemory(); // p's death freed nothing: what fills the heap outlives it
    }
  }
}

/** The scheduler's own work for p failed (it could not allocate what it
 *  needed to go on with p): p's continuation is lost, so p dies with
 *  out_of_memory, after the largest process if the heap is short. Anything
 *  but running out of memory is a kernel bug, and stays fatal. */
function lost(p: Proc, e: unknown): void {
  if (!isOutOfMemory(e)) throw e;
  release(p);
  outOfMemory(p);
}

/** p ran the VM out of memory, or the kernel did on p's behalf: p dies with
 *  out_of_memory. If the heap is still short (the memory is held elsewhere),
 *  the process the kernel counts the most against dies too. If then there is
 *  not even room to record the death and say so, what fills the heap is
 *  nothing the kernel can free, and the node stops (nodeOutOfMemory). */
function outOfMemory(p: Proc): void {
  try {
    if (p.alive) die(p, 'out_of_memory');
    if (heapShort()) relieve(heapLimit() / 32);
    logger.error(`process ${p.pid} ran the VM out of memory: killed (out_of_memory)`);
  } catch {
    // Still no room: whoever holds the most goes, then one more try.
    try {
      if (!relieve(heapLimit() / 32)) throw new Error('nothing to relieve');
      logger.error(`process ${p.pid} ran the VM out of memory: killed (out_of_memory)`);
    } catch {
      nodeOutOfMemory();
    }
  }
}

function crash(p: Proc, e: unknown): void {
  if (!p.alive) return;
  // QuickJS's interrupt (the hosts' guard) can surface as a rejection of the
  // async body before the host calls onTrip: it is the runaway kill.
  if (e instanceof Error && e.name === 'InternalError' && e.message === 'interrupted') {
    // Unless the guard's deadline has passed, the host interrupted for its
    // own reasons (exit, --timeout, Ctrl-C) and stops next: no runaway line.
    const guardPassed = guardArmedAt !== -1 && now() - guardArmedAt >= config.runawayMs;
    if (guardPassed) return runaway(p, now() - p.sliceStart);
    return die(p, 'killed');
  }
  const reason = reasonOf(e);
  if (reason === 'out_of_memory') return outOfMemory(p);
  try {
    // Die first: that frees the process's heap, which the log line may need.
    die(p, reason);
    if (!(e instanceof ProcessExit)) logger.error(`process ${p.pid} crashed:`, e instanceof Error ? errorText(e) : e);
  } catch (e2) {
    // No room to record the death, or to say so: as outOfMemory.
    if (!isOutOfMemory(e2)) throw e2;
    if (p.alive) outOfMemory(p);
    else nodeOutOfMemory();
  }
}

/** The kernel could not even record a death (the heap is full of what other
 *  processes hold): the node cannot keep its promises, so it stops, as BEAM
 *  does when it cannot allocate. The line is built before memory runs out. */
const OOM_LINE = 'mote: out of memory: the node cannot go on\n';
function nodeOutOfMemory(): never {
  state.halted = true;
  try {
    platform().write(OOM_LINE);
  } catch {
    // nothing more can be said
  }
  return platform().exit(Exit.OutOfMemory);
}

function release(p: Proc): void {
  if (inFlight === p) inFlight = null;
  p.busy = false;
  if (state.current === p) state.current = null;
}

// bodyDone and handlerDone run as promise reactions: whatever fails in them
// must be handled here (an exception would be an unhandled rejection, which
// stops the host), and the run queue must go on (or the node would hang).
function bodyDone(p: Proc, result: unknown, failed: boolean): void {
  if (state.halted) return;
  dropClock();
  const wasInFlight = inFlight === p;
  release(p);
  try {
    if (p.alive && wasInFlight && now() - p.sliceStart > config.runawayMs) runaway(p, now() - p.sliceStart);
    if (p.alive) {
      if (failed) crash(p, result);
      else die(p, 'normal');
    }
  } catch (e) {
    lost(p, e);
  }
  if (wasInFlight) runLoop();
}

function handlerDone(p: Proc, failed: boolean, err: unknown): void {
  if (state.halted) return;
  dropClock();
  const wasInFlight = inFlight === p;
  release(p);
  try {
    if (failed && p.alive) crash(p, err);
    else if (p.alive) endSlice(p);
  } catch (e) {
    lost(p, e);
  }
  if (wasInFlight) runLoop();
}

/** The running process, or a clear error. */
export function me(what: string): Proc {
  const p = state.current;
  if (!p) {
    throw new Error(
      `${what}: not inside a process (call it from a process body or handler; ` +
        'an async body that awaits a non-kernel promise loses its process)',
    );
  }
  if (!p.alive) throw new ProcessExit(p.exitReason);
  return p;
}

// receive's promises never reject, so they need no rejection tracking: they
// are made with the engine's own Promise (what an async function returns),
// not the global one, which a host may replace by a tracking subclass (the
// hosted runner does: there each promise made through it costs ~2.5 us more,
// in JS). `await` treats both alike: same jobs, same order.
const EnginePromise = (async () => {})().constructor as PromiseConstructor;

// One executor for every receive's promise: a closure per receive costs more
// than this hand-over on QuickJS (the executor runs synchronously).
let captured: ((v: unknown) => void) | null = null;
function captureResolve(resolve: (v: unknown) => void): void {
  captured = resolve;
}

export interface ReceiveOptions {
  /** Milliseconds to wait for a match; then `receive` returns TIMEOUT. */
  after?: number;
}

/**
 * Selective receive: the oldest message matching any of `matchers` (all
 * messages if none given). Others stay queued in arrival order.
 */
export function receive(matchers: Matcher | Matcher[] | null, opts: ReceiveOptions | undefined): Promise<unknown> {
  const p = me('receive');
  if (!p.busy) throw new Error('receive: the process is not running (a behaviour\'s init cannot receive)');
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
  // Every kernel call is a chance to catch a runaway on hosts that cannot
  // interrupt JS; the killed body just never resumes.
  if ((p.sliceLeft & 15) === 0 && clockAtSwitch() - p.sliceStart > config.runawayMs) {
    release(p);
    runaway(p, now() - p.sliceStart);
    runLoop();
    return new Promise(() => {});
  }
  const test = compileMatchers(list);
  const found = scan(p, test, p.head);
  // Taken at once (no switch) while the slice lasts, and the slice lasts
  // while it has reductions left and sliceOver says no.
  const goOn = p.sliceLeft > 0 && budget > 0 && inFlight === p && ((p.sliceLeft & 15) !== 0 || !sliceOver(p));
  if (found >= 0 && goOn) {
    p.sliceLeft--;
    budget--;
    p.reductions++;
    return EnginePromise.resolve(takeMessage(p, found).value);
  }
  // A poll (after 0, or sleep(0)) costs a reduction like any receive, so a
  // polling loop still yields when its slice is spent.
  const poll = found < 0 && after === 0;
  if (poll && goOn) {
    p.sliceLeft--;
    budget--;
    p.reductions++;
    return EnginePromise.resolve(TIMEOUT);
  }
  const promise = new EnginePromise(captureResolve);
  const w: Waiter = { test, scanned: p.mailbox.length, found, timedOut: poll, timer: 0, resolve: captured! };
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

function scan(p: Proc, test: ((v: unknown) => boolean) | null, from: number): number {
  const box = p.mailbox;
  if (!test) return from < box.length ? from : -1;
  for (let i = from; i < box.length; i++) {
    if (test(box[i].value)) return i;
  }
  return -1;
}

/** p waits in receive: let the next process run. */
function blocked(p: Proc): void {
  const wasInFlight = inFlight === p;
  release(p);
  endSlice(p);
  if (wasInFlight) runLoop();
}

/** A message reached p's mailbox (already pushed): p's limits, the node's
 *  memory pressure, then p's receive. */
onArrival((p, m) => {
  if (!checkLimits(p)) return;
  grew(m.size);
  if (p.alive) arrived(p);
});

function arrived(p: Proc): void {
  const w = p.waiter;
  if (w) {
    if (w.found < 0 && !w.timedOut) {
      const i = scan(p, w.test, w.scanned);
      w.scanned = p.mailbox.length;
      if (i >= 0) {
        w.found = i;
        if (!p.busy) enqueue(p);
      }
    }
  } else if (p.handler && !p.busy) {
    enqueue(p);
  }
}

/** p died: forget it here. */
onDeath.push(forget);
function forget(p: Proc): void {
  if (p.waiter?.timer) removeTimer(p.waiter.timer);
  p.waiter = null;
  if (inFlight === p) inFlight = null;
  p.busy = false;
}

/** Runs `fn` as process p (used to run a behaviour's init synchronously
 *  inside the caller), then restores the caller. */
export function runAs<T>(p: Proc, fn: () => T): T {
  const saved = state.current;
  state.current = p;
  try {
    return fn();
  } finally {
    state.current = saved;
  }
}

/** Did the scheduler lose track of a process (for tests and introspection)? */
export function schedulerState(): { queued: number; inFlight: string | null } {
  return { queued: runq.length - rqHead, inFlight: inFlight ? String(inFlight.pid) : null };
}
