/**
 * The scheduler: slices and turns over the run queues with a reduction
 * budget, and nothing else (the queues and priorities are run_queue.ts,
 * receive is receive.ts, the runaway guard guard.ts, the clock clock.ts,
 * crashes crash.ts, the kernel's own out of memory out_of_memory.ts).
 *
 * One reduction is one message handled, one resumption of an async body,
 * one send or one ets operation (`charge`; `run` charges the first two). A turn runs processes until `turnReductions` are
 * spent, then yields to the host's event loop through a 0 ms timer, so
 * timers and input keep flowing; a due timer ends the turn sooner, at the
 * next switch. A process runs at most `sliceReductions`, or `runawayMs / 8`
 * of time, before it goes to the back.
 *
 * A step runs one process in one of three ways:
 *   - `startBody`: an async body's first run;
 *   - `resumeWaiter`: an async body waiting in receive gets its message (or
 *     TIMEOUT) and runs on as promise jobs;
 *   - `runHandler`: a behaviour process (`Handler`): `onMessage` per message,
 *     so no JS frame is held while it waits.
 * While a process's JS runs it is `inFlight` and `current` (`run`),
 * until it blocks again or returns and calls back here (`release`); the next
 * process then runs, still inside the same drain of promise jobs.
 *
 * A body that awaits a promise the kernel does not control breaks that chain:
 * the job queue empties without a call back. The next turn (a timer, so it
 * runs only after all promise jobs) marks it `detached` and moves on; kernel
 * calls it makes later, outside any process, throw a clear error.
 */
import { addTimer, removeTimer, dueOther, heapChanges, type TimerId } from './timers.ts';
import { Proc, state, BARE, TIMEOUT, type Handler, type Waiter } from './process.ts';
import { takeMessage, takeValue } from './mailbox.ts';
import { die, isOutOfMemory } from './signals.ts';
import { heapShort, relieveAny } from './pressure.ts';
import { config } from './tunables.ts';
import { clockAtSwitch, dropClock, now } from './clock.ts';
import { armGuard, armedAt, disarmGuard, onUnguarded } from './guard.ts';
import { crash, runaway, isInterrupt, mendTrip } from './crash.ts';
import { outOfMemory, nodeOutOfMemory } from './out_of_memory.ts';
import { refillReserve } from './oom_reserve.ts';
import { push, take, anyQueued, total as queuedCount } from './run_queue.ts';
import { EnginePromise, pending, fulfill, watch, runWatched } from './engine_promise.ts';

let looping = false;
/** The clock blocked() read as the loop's step ended, for the loop's next
 *  switch (NaN: none). */
let switchAt = NaN;
/** Is the next turn's timer armed (read by receive.ts's arrival)? */
export let turnArmed = false;
/** The timer of the next turn, while armed: not one the turn yields to. */
let turnTimer: TimerId = 0;
/** The process whose JS runs and has not yet called back (`running`). */
export let inFlight: Proc | null = null;
/** The turn ends when state.spent reaches this. */
let budgetEnd = 0;
/** The running slice ends when state.spent reaches this (there is one slice
 *  at a time; its start is state.sliceStart). */
let sliceEnd = 0;

/** Does p's JS run now (it has not yet blocked or returned)? */
export function running(p: Proc): boolean {
  return inFlight === p;
}
// A lazy Web API's first load is the kernel's time (guard.ts): the running
// slice's time starts again after it.
onUnguarded((ms) => {
  if (state.current !== null || inFlight !== null) state.sliceStart += ms;
});

export function enqueue(p: Proc): void {
  if (p.queued || !p.alive || state.halted) return;
  push(p); // first: if the queue cannot grow, p is not marked queued for ever
  p.queued = true;
  if (!turnArmed) armTurn();
}

/** One reduction, charged to p's slice and to the turn. A send costs one,
 *  as in BEAM: a loop that sends and then polls (`await sleep(0)`) yields at
 *  the poll once its slice is spent. */
export function charge(p: Proc): void {
  state.spent++;
  p.reductions++;
}

/** p's JS is about to run (its body, a resumption, a handler message), for
 *  one reduction. */
function run(p: Proc): void {
  state.current = p;
  inFlight = p;
  charge(p);
}

/** p's JS has returned, blocked or is gone: nothing of p runs now. */
function release(p: Proc): void {
  if (inFlight === p) inFlight = null;
  if (state.current === p) state.current = null;
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
  return dueAt(clockAtSwitch());
}

// The last `t` at which no timer but the turn's was due, and the timer
// heap's changes then: the same answer holds until one of them moves (the
// clock at a switch moves about once a millisecond), so a switch asks the
// timers only then.
let notDueAt = NaN;
let notDueChanges = -1;

/** Is a timer other than the next turn's due at `t`? */
function dueAt(t: number): boolean {
  if (t === notDueAt && heapChanges === notDueChanges) return false;
  if (dueOther(t, turnTimer)) return true;
  notDueAt = t;
  notDueChanges = heapChanges;
  return false;
}

/** Checked at every 16th reduction of a slice: has the slice run long enough
 *  (an eighth of runawayMs, so that a process that yields is never judged a
 *  runaway), or is a timer due? Then the process yields at its next receive. */
function sliceOver(): boolean {
  return clockAtSwitch() - state.sliceStart > config.runawayMs / 8 || timerDue();
}

/** May p, running, take a message at once, without a switch? While its
 *  slice lasts: it has reductions left and sliceOver says no. Otherwise it
 *  blocks, and its slice's end judges whether it ran away: so a process
 *  that hardly yields is caught at its receives on hosts that cannot
 *  interrupt JS. */
export function mayGoOn(p: Proc): boolean {
  var left = sliceEnd - state.spent;
  return left > 0 && budgetEnd > state.spent && inFlight === p && ((left & 15) !== 0 || !sliceOver());
}

/** May p, running, poll (sleep(0), receive with after 0) and go on? As
 *  mayGoOn, but the slice's time is checked at every poll: a poll is where
 *  a long computation yields, and between two of them it may have worked
 *  for most of runawayMs, so every 16th would be too late to end the slice
 *  before it is judged a runaway. */
export function mayPollOn(p: Proc): boolean {
  return sliceEnd > state.spent && budgetEnd > state.spent && inFlight === p && !sliceOver();
}

/** p waits in receive: let the next process run. */
export function blocked(p: Proc): void {
  // var, not const or let, on the message path: QuickJS checks a lexical
  // local's initialization at every read (and resets one in a block at each entry).
  var t = clockAtSwitch();
  if (inFlight !== p) return endSlice(p, t);
  // endSlice and release inline, for the process whose slice this was.
  inFlight = null;
  if (state.current === p) state.current = null;
  if (p.alive) {
    var ms = t - state.sliceStart;
    if (ms > config.runawayMs) runaway(p, ms);
    else {
      var w = p.waiter;
      if (w === BARE ? p.head < p.mailbox.length : w !== null && (w.found >= 0 || w.timedOut)) enqueue(p);
    }
  }
  // The switch's common case, runLoop's first step inline: the next process
  // is a waiter whose message came. Anything else is runLoop's to run.
  if (!looping && handedOver === null && queuedCount > 0 && budgetEnd > state.spent && !state.halted &&
    ((t === notDueAt && heapChanges === notDueChanges) || !dueAt(t))) {
    var q = take();
    var w = q.alive ? q.waiter : null;
    if (w === null || (w === BARE ? q.head === q.mailbox.length : w.found < 0 || w.timer !== 0)) handedOver = q; // still queued: runLoop takes it first
    else {
      q.queued = false;
      try {
        resumeFound(q, w, t);
      } catch (e) {
        lost(q, e);
        return runLoop(true);
      }
      if (!turnArmed) armTurnOrStop();
      return;
    }
  }
  // Inside the loop's step (a body's first receive): the loop's next
  // switch is this one, at this clock.
  if (looping) switchAt = t;
  runLoop(true, t);
}

// A process's JS must never run on another's stack (p's receive, or the
// promise reaction that saw p's body end): QuickJS's interrupt cannot be
// caught, so a runaway there would unwind that caller's frames too (its body
// rejected, it was blamed), or reject a promise nobody handles (metal then
// stops). So blocked/bodyDone/handlerDone run the loop on their stack only
// while it resumes waiters (a resolve: the body runs on in a job of its own,
// the message path's common case); a body's start or a handler's message is
// handed over to the driver, one long-lived async function that runs the
// loop from a promise job of its own (one engine promise and one job, as a
// `then` would cost, but its failure has a handler). An interrupt ends the
// driver (tripped() then arms a turn); the next hand-over starts a new one.
// QuickJS creates a built-in method at its first use, which fails with the
// heap full: follow's `then` (first used at the first body's start, perhaps
// as that body ran the heap full) is made here, at load.
if (typeof EnginePromise.prototype.then !== 'function') throw new Error('scheduler: the engine has no Promise.prototype.then');
let driving = false;
/** Settles the driver's wait, while it waits: its resolve function, or
 *  the promise itself where the engine fulfills it (engine_promise.ts). */
let wake: (() => void) | Promise<unknown> | null = null;
function captureWake(resolve: () => void): void {
  wake = resolve;
}

async function drive(): Promise<void> {
  for (;;) {
    if (pending !== null) await (wake = pending());
    else await new EnginePromise<void>(captureWake);
    runLoop();
  }
}

function driverEnded(e: unknown): void {
  driving = false;
  wake = null;
  if (!isOutOfMemory(e) && !isInterrupt(e)) throw e;
  armTurnOrStop(); // the next turn runs the loop
}

/** The process taken to run next, waiting for the driver's job. It stays
 *  `queued`, so that it is not pushed again meanwhile. */
let handedOver: Proc | null = null;

/** Runs the loop from the driver's next job (at once if it runs already). */
function wakeDriver(): void {
  try {
    if (!driving) {
      driving = true;
      drive().then(undefined, driverEnded);
    }
    const w = wake;
    wake = null;
    if (typeof w === 'function') w();
    else if (w !== null) fulfill!(w, undefined);
    // else woken already: its job is queued
  } catch (e) {
    if (!isOutOfMemory(e)) throw e;
    armTurnOrStop();
  }
}

/** The loop, from a caller's stack: as far as it runs no process's JS. */
function runSoon(): void {
  runLoop(true);
}

function turn(): void {
  turnArmed = false;
  turnTimer = 0;
  dropClock();
  if (state.halted) return;
  refillReserve();
  if (inFlight) {
    // Promise jobs all ran and it never called back: it awaits a foreign
    // promise, or, with the heap short, the engine lost its continuation
    // (QuickJS drops a promise job it cannot allocate, without a word).
    const p = inFlight;
    p.detached = true;
    release(p);
    if (p.alive && heapShort()) outOfMemory(p);
  }
  // A new count for each turn, so that it stays a small int; a slice
  // still running (a detached process's) keeps what it has left.
  sliceEnd -= state.spent;
  state.spent = 0;
  budgetEnd = config.turnReductions;
  runLoop();
}

/** `t`: the clock at this switch, if the caller has just read it. */
export function runLoop(onCallersStack = false, t = NaN): void {
  if (looping || state.halted) return;
  looping = true;
  // One try for the whole loop (a try per step costs QuickJS more than the
  // step's checks): `stepping` is the process whose step failed, if any.
  var stepping: Proc | null = null;
  for (;;) {
    try {
      while (inFlight === null && budgetEnd > state.spent && (handedOver !== null || queuedCount > 0) && !state.halted) {
        if (t !== t) t = clockAtSwitch(); // NaN: not read for this switch yet
        if ((t !== notDueAt || heapChanges !== notDueChanges) && dueAt(t)) break;
        var p = handedOver;
        if (p !== null) handedOver = null;
        else p = take();
        if (!p.alive) {
          p.queued = false;
          continue;
        }
        var w = p.waiter;
        if (w !== null && (w === BARE ? p.head < p.mailbox.length : w.found >= 0 && w.timer === 0)) {
          // The message path's common case: a waiter whose message came.
          p.queued = false;
          stepping = p;
          resumeFound(p, w, t);
        } else if (onCallersStack && w === null && (p.resume !== null || p.handler !== null)) {
          // Its step would run its JS at once (a body's start, a handler's
          // message), not a waiter's resolve: the driver's job runs it.
          handedOver = p;
          wakeDriver();
          break;
        } else {
          p.queued = false;
          stepping = p;
          step(p, t);
        }
        stepping = null;
        t = switchAt; // NaN unless the step ended in blocked(), which read it
        switchAt = NaN;
      }
      break;
    } catch (e) {
      var p = stepping;
      stepping = null;
      t = switchAt = NaN;
      if (p === null) {
        looping = false;
        throw e;
      }
      try {
        lost(p, e);
      } catch (e2) {
        looping = false;
        throw e2;
      }
    }
  }
  looping = false;
  if (state.halted) return;
  if (!turnArmed && (inFlight !== null || handedOver !== null || queuedCount > 0)) armTurnOrStop();
  if (inFlight === null && handedOver === null) {
    disarmGuard();
    if (idleHook && !anyQueued()) idleHook();
  }
}

let idleHook: (() => void) | null = null;
/** Called whenever the scheduler has nothing to run (deadlock.ts). */
export function onIdle(f: () => void): void {
  idleHook = f;
}

/** Is a process running or queued to run? */
export function anythingToRun(): boolean {
  return inFlight !== null || handedOver !== null || anyQueued();
}

/** The next turn must be armed, or nothing would run again: if the timer
 *  cannot be allocated, a process gives its memory back (relieveAny: one
 *  whose death is restarted or noticed, never one nothing watches). */
function armTurnOrStop(): void {
  try {
    armTurn();
  } catch {
    try {
      relieveAny();
      armTurn();
    } catch {
      nodeOutOfMemory();
    }
  }
}

/** The host aborted a runaway slice: the stack is gone, repair and go on. */
function tripped(): void {
  const p = state.current ?? inFlight;
  const slice = inFlight ?? p;
  looping = false;
  if (inFlight) release(inFlight);
  dropClock();
  unlend();
  mendTrip(slice);
  if (p) {
    release(p);
    if (p.alive) runaway(p, now() - state.sliceStart);
  }
  // The slice was its caller's (p ran inside it, runAs): the caller ran it
  // away too, as an async body that called it dies at its rejection. A
  // behaviour's handler has no rejection to die at: it lived on, its
  // message half handled.
  if (slice !== null && slice !== p && slice.alive) runaway(slice, now() - state.sliceStart);
  armTurn();
}

/** Ends p's slice: runaway check, then requeue if it has more to do. */
function endSlice(p: Proc, t = clockAtSwitch()): void {
  release(p);
  if (!p.alive) return;
  const ms = t - state.sliceStart;
  if (ms > config.runawayMs) return runaway(p, ms);
  if (runnable(p)) enqueue(p);
}

function runnable(p: Proc): boolean {
  if (inFlight === p) return false;
  const w = p.waiter;
  if (w === BARE) return p.head < p.mailbox.length;
  if (w) return w.found >= 0 || w.timedOut;
  return p.handler !== null && p.queueLen() > 0;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as PromiseLike<unknown>).then === 'function';
}

/** A waiter whose message came (and has no timer) resumes with it, for one
 *  reduction: step's common case, which runLoop calls itself. BARE's
 *  message is the head's, its settle p's `resume`. */
function resumeFound(p: Proc, w: Waiter, t: number): void {
  state.current = p;
  sliceEnd = state.spent + config.sliceReductions;
  state.sliceStart = t;
  if (armedAt === -1 || t - armedAt >= config.runawayMs / 4) armGuard(t, tripped); // its own check, without the call
  p.waiter = null;
  var settle: Waiter['resolve'];
  var value;
  if (w === BARE) {
    settle = p.resume as Waiter['resolve'];
    p.resume = null;
    value = takeValue(p, p.head);
  } else {
    settle = w.resolve;
    value = takeValue(p, w.found);
  }
  inFlight = p;
  state.spent++; // charge(p), inline
  p.reductions++;
  if (typeof settle === 'function') settle(value);
  else fulfill!(settle, value);
}

function step(p: Proc, t: number): void {
  state.current = p;
  sliceEnd = state.spent + config.sliceReductions;
  state.sliceStart = t;
  armGuard(t, tripped);
  const w = p.waiter;
  if (w === null && typeof p.resume === 'function') startBody(p, p.resume as () => unknown);
  else if (w) resumeWaiter(p, w);
  else if (p.handler) runHandler(p, p.handler);
  else endSlice(p);
}

function startBody(p: Proc, body: () => unknown): void {
  p.resume = null;
  run(p);
  let r: unknown;
  try {
    // An async body runs with no promise where the engine can: it reports
    // its end to bodyEnded, as a watch of its promise would.
    if (runWatched !== null && runWatched(body, bodyEnded, p)) return;
    r = body();
  } catch (e) {
    return bodyDone(p, e, true);
  }
  if (isThenable(r)) {
    follow(p, r, true, Object.getPrototypeOf(body) === AsyncFunctionPrototype);
  } else {
    bodyDone(p, 'normal', false);
  }
}

function resumeWaiter(p: Proc, w: Waiter): void {
  if (w === BARE) {
    if (p.head === p.mailbox.length) return endSlice(p);
    return resumeFound(p, w, state.sliceStart);
  }
  if (w.found < 0 && !w.timedOut) return endSlice(p);
  p.waiter = null;
  if (w.timer) removeTimer(w.timer);
  const value = w.found >= 0 ? takeMessage(p, w.found).value : TIMEOUT;
  run(p);
  const settle = w.resolve;
  if (typeof settle === 'function') settle(value);
  else fulfill!(settle, value);
}

function runHandler(p: Proc, h: Handler): void {
  while (p.alive && p.queueLen() > 0 && sliceEnd > state.spent && budgetEnd > state.spent && !p.waiter) {
    if (((sliceEnd - state.spent) & 15) === 0 && sliceOver()) break;
    const m = takeMessage(p, p.head);
    // Running while the handler runs, so that an async handler may receive
    // before its first await.
    run(p);
    let r: unknown;
    try {
      r = h.onMessage(m.value);
    } catch (e) {
      release(p);
      if (!state.halted) crash(p, e);
      break;
    }
    if (isThenable(r)) {
      follow(p, r, false);
      return;
    }
    release(p);
    if (p.waiter) {
      crash(p, new Error('receive: called from a behaviour handler that returned without awaiting it'));
      break;
    }
  }
  endSlice(p);
}

const ignore = (): void => {};

// `then` makes a promise for what its handlers return, with two resolving
// functions: ~640 bytes on x86-64 (~430 on wasm32) that an idle process
// holds for as long as its body waits, and that nobody reads. `then` asks
// the promise's constructor for it ([Symbol.species]): the promise an async
// body's call made, which only the kernel holds, gets Unchained, whose
// capability is one shared object and shared no-ops. (A promise the program
// made and returns may be the program's too: it keeps its constructor.)
const AsyncFunctionPrototype = Object.getPrototypeOf(async () => {}) as object;
const UNCHAINED = Object.freeze({});
function Unchained(executor: (resolve: (v: unknown) => void, reject: (v: unknown) => void) => void): object {
  const p = watching;
  watching = null;
  if (p === null) executor(ignore, ignore);
  else {
    const settled = (v: unknown): void => bodySettled(p, v);
    executor(settled, settled);
  }
  return UNCHAINED;
}
// And one closure learns how the body ended, where two did (256 B on x86-64
// where two and the variable they shared took 432; a bound function would
// take 272, its name a string of its own). Unchained makes it both functions
// of its capability, for `then(undefined, failedWith)`: the body's value
// comes to it as it is, a rejection through failedWith, which keeps the
// reason and throws FAILED, an object no program can hold, and the reaction
// calls it at once with FAILED.
let watching: Proc | null = null;
const FAILED = Object.freeze({});
let failure: unknown;
function failedWith(e: unknown): never {
  failure = e;
  throw FAILED;
}
function bodyEnded(p: Proc, v: unknown, rejected: boolean): void {
  if (rejected) bodyDone(p, v, true);
  else bodyDone(p, 'normal', false);
}
function bodySettled(p: Proc, v: unknown): void {
  if (v !== FAILED) return bodyDone(p, 'normal', false);
  const e = failure;
  failure = undefined;
  bodyDone(p, e, true);
}
Object.defineProperty(Unchained, Symbol.species, { value: Unchained });
// The body's promise finds Unchained through its prototype's constructor,
// set for the one `then` and put back: an own `constructor` on each body's
// promise was a property array of its own, 48 B on x86-64 for as long as
// the body runs. Only the kernel's code runs in between (then, Unchained).
const PromisePrototype = EnginePromise.prototype as { constructor: unknown };
const hasOwn = Object.prototype.hasOwnProperty;
/** May r's `then` go through Unchained: the engine's promise, with no
 *  constructor of its own (a body that only looks async may return one the
 *  program made and gave one)? */
function unchained(r: PromiseLike<unknown>): boolean {
  return Object.getPrototypeOf(r) === PromisePrototype && !hasOwn.call(r, 'constructor');
}
/** r.then(onFulfilled, onRejected), its derived promise Unchained's; NOT_LENT,
 *  with no then, if the program froze the engine's Promise.prototype (the
 *  constructor cannot be set: the plain then goes on working). */
const NOT_LENT = Object.freeze({});
function thenUnchained(r: PromiseLike<unknown>, onFulfilled: undefined | ((v: unknown) => unknown), onRejected: (e: unknown) => unknown): unknown {
  try {
    PromisePrototype.constructor = Unchained;
  } catch {
    return NOT_LENT;
  }
  try {
    return r.then(onFulfilled, onRejected);
  } finally {
    PromisePrototype.constructor = EnginePromise;
  }
}
/** After a trip of the runaway guard (tripped): thenUnchained's finally
 *  does not run for it, and a constructor left lent would make every
 *  program's `then` give Unchained's object. */
function unlend(): void {
  watching = null;
  if (PromisePrototype.constructor === Unchained) PromisePrototype.constructor = EnginePromise;
}
// At load, as follow's `then` (above): a check that the engine's `then`
// asks for its species.
if (thenUnchained((async () => {})(), ignore, ignore) !== UNCHAINED) throw new Error("scheduler: the engine's then does not take Symbol.species");

/** Waits for p's promise: its body's (`body`) or a handler's. If even that
 *  cannot be allocated, p's continuation is lost: p dies with out_of_memory,
 *  and once that has freed memory the promise gets a handler after all, or
 *  its rejection (an async body that ran the heap full has one) would stop
 *  the host as unhandled. Nothing here throws: this is the kernel's own
 *  start of a body or a message, never where running out surfaces. The
 *  reactions are made inside the try: made by the caller, their closures'
 *  allocation failed outside it (oom-kept at 9M-22M on the wasm engine). */
function follow(p: Proc, r: PromiseLike<unknown>, body: boolean, own = false): void {
  try {
    // An async body's promise, which only the kernel holds: watched with
    // no closure for p where the engine can (engine_promise.ts). `own` says
    // only that the body's prototype is AsyncFunction's, which a plain
    // function may be given: what it returns (a thenable, a promise
    // subclass's with its own then) is followed through its then.
    if (own && unchained(r)) {
      if (watch !== null) return watch(r as Promise<unknown>, bodyEnded, p);
      watching = p;
      if (thenUnchained(r, undefined, failedWith) !== NOT_LENT) return;
      watching = null;
    }
    if (body) r.then(() => bodyDone(p, 'normal', false), (e) => bodyDone(p, e, true));
    else r.then(() => handlerDone(p, false, undefined), (e) => handlerDone(p, true, e));
    return;
  } catch (e) {
    watching = null;
    release(p);
    // A thenable of the program's whose then throws: p's own failure.
    if (!isOutOfMemory(e)) return crash(p, e);
  }
  outOfMemory(p);
  handleAnyway(r);
}

/** Gives r a handler that ignores it, or stops the node if even that finds
 *  no memory after the largest process has died too. */
function handleAnyway(r: PromiseLike<unknown>): void {
  try {
    r.then(ignore, ignore);
    return;
  } catch {
    // p's death freed too little: a holder goes (relieveAny), then one more try
  }
  try {
    if (relieveAny()) {
      r.then(ignore, ignore);
      return;
    }
  } catch {
    // nothing more to free
  }
  nodeOutOfMemory(); // what fills the heap outlives every process
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

// bodyDone and handlerDone run as promise reactions: whatever fails in them
// must be handled here (an exception would be an unhandled rejection, which
// stops the host), and the run queue must go on (or the node would hang).
function bodyDone(p: Proc, result: unknown, failed: boolean): void {
  if (state.halted) return;
  dropClock();
  const wasInFlight = inFlight === p;
  release(p);
  try {
    // The guard's trip surfaced here first, as the body's rejection.
    if (failed && isInterrupt(result)) mendTrip(p);
    if (p.alive && wasInFlight && now() - state.sliceStart > config.runawayMs) runaway(p, now() - state.sliceStart, failed ? result : undefined);
    if (p.alive) {
      if (failed) crash(p, result);
      else die(p, 'normal');
    }
  } catch (e) {
    lost(p, e);
  }
  if (wasInFlight) runSoon();
}

function handlerDone(p: Proc, failed: boolean, err: unknown): void {
  if (state.halted) return;
  dropClock();
  const wasInFlight = inFlight === p;
  release(p);
  try {
    if (failed && p.alive) crash(p, err);
    // Judged by its slice's time only if this is its slice, as bodyDone
    // judges a body: a handler that awaited a foreign promise (a timer's)
    // ended outside any slice of its own, and the time since the last
    // slice began was no run of its.
    else if (p.alive && wasInFlight) endSlice(p);
    else if (p.alive && runnable(p)) enqueue(p);
  } catch (e) {
    lost(p, e);
  }
  if (wasInFlight) runSoon();
}
