/**
 * The process table: one `Proc` per live process, and the running process.
 * Nothing here schedules or signals; see scheduler.ts and signals.ts.
 */
import { Pid, Ref, type Copied } from './term.ts';
import { ProcessExit, type Reason } from './reasons.ts';

export type { Reason };

/** What `receive` returns when its `after` timeout passes. */
export const TIMEOUT: unique symbol = Symbol('mote.timeout');
export type Timeout = typeof TIMEOUT;

/** A process waiting in `receive` (receive.ts makes it, the scheduler ends
 *  it with the message found or TIMEOUT). */
export interface Waiter {
  /** The compiled matchers; null matches anything. */
  test: ((msg: unknown) => boolean) | null;
  /** Mailbox index up to which messages were already tested. */
  scanned: number;
  /** Index of the matched message, or -1. */
  found: number;
  timedOut: boolean;
  timer: number;
  /** Settles the receive's promise: its resolve function, or the promise
   *  itself where the engine fulfills it (engine_promise.ts). */
  resolve: ((v: unknown) => void) | Promise<unknown>;
}

/** The waiter of a receive of any message with no timeout, the message
 *  path's common case, which every such wait shares: its message is the
 *  mailbox's head, found as soon as there is one (head < mailbox.length),
 *  and what settles it is the process's `resume`. Never written (frozen);
 *  its fields say nothing found, for code that does not ask `=== BARE`. */
export const BARE: Waiter = Object.freeze({ test: null, scanned: 0, found: -1, timedOut: false, timer: 0, resolve: () => {} });

/** A behaviour process's callbacks: no JS frame is held while it waits. */
export interface Handler {
  /** Handles one message. Returning a promise makes the process busy until it
   *  settles (it may then `await receive(...)` inside). */
  onMessage(msg: any): unknown;
  /** Name shown by processInfo as the current behaviour. */
  behaviour: string;
  /** Set while the behaviour waits hibernated (processInfo's hibernated). */
  hibernated?: boolean;
}

export type Status = 'runnable' | 'running' | 'waiting' | 'exiting';

/**
 * One process. Only what every process writes is an own field of each
 * record; every other field is declared here and has its default on the
 * prototype (below, `Object.assign(Proc.prototype, ...)`), so it costs a
 * process nothing until it is set: a QuickJS record pays 16 bytes a field
 * on x86-64 (8 on wasm32), and an idle process has no messages, links,
 * monitors, name or limits. Code reads and writes them as any field.
 */
export class Proc {
  readonly pid = new Pid();
  parent: Pid | null;
  queued = false;
  reductions = 0;
  /** What runs p next: its body, until it has started (waiter null); while
   *  it waits in a receive of any message (waiter BARE), what settles that
   *  receive (its resolve function, or its promise where the engine
   *  fulfills it: engine_promise.ts); else null. One field for both: a
   *  seventh own field would take the record's property array from 6
   *  slots to 9 (QuickJS grows it by half: 2, 3, 4, 6, 9), 48 B. Whether
   *  p runs JS now is the scheduler's `running(p)`, and its slice's
   *  reductions and start are the scheduler's and `state.sliceStart`: only
   *  the running process has a slice. */
  declare resume: (() => unknown) | ((v: unknown) => void) | Promise<unknown> | null;
  /** Set while p waits in receive. Like resume, a default until set: a
   *  behaviour between messages has neither (its record 5 fields, 6 slots). */
  declare waiter: Waiter | null;
  /** Shared EMPTY until the first message: most idle processes have none. */
  declare mailbox: Copied[];
  /** Messages before this index were consumed (lazy shift). */
  declare head: number;
  // Links and monitors are created on first use: an idle process without
  // any costs nothing for them.
  declare links: Set<Proc> | null;
  /** Monitors this process holds on others: ref id -> target. */
  declare monitors: Map<number, { ref: Ref; target: Proc }> | null;
  /** Monitors others hold on this process: ref id -> watcher. */
  declare monitoredBy: Map<number, { ref: Ref; watcher: Proc; name: string | null }> | null;
  declare trapExit: boolean;
  declare name: string | null;
  declare alive: boolean;
  declare exitReason: Reason;
  /** Set when an async body awaited something that is not a kernel
   *  operation: its context was lost (see scheduler.ts). */
  declare detached: boolean;
  /** The receive mark (OTP's recv_mark): the ref a monitor, alias or
   *  spawnRequest made last, and the message last in the mailbox then
   *  (null: it was empty). A receive that matches only on that ref starts
   *  after that message: nothing queued before the ref can carry it. */
  declare markRef: Ref | null;
  declare markAt: Copied | null;
  /** A function matcher was handed a queued message (receive.ts): the
   *  program may hold it and change it, so the scan memo skips nothing of
   *  this mailbox until it drains. */
  declare exposed: boolean;
  declare handler: Handler | null;
  declare maxHeapSize: number;
  declare maxMailboxLen: number;
  /** Bytes of queued messages. */
  declare queuedBytes: number;
  /** Bytes of the message taken last: a body holds what it works on until
   *  it takes the next (pressure.ts counts it). */
  declare heldBytes: number;
  /** Extra heap a behaviour reports (its state), estimated on demand. */
  declare stateBytes: number;
  /** Index into run_queue.ts's PRIORITIES: 1 is normal. */
  declare priority: number;
  constructor(parent: Pid | null) {
    this.parent = parent;
  }
  queueLen(): number {
    return this.mailbox.length - this.head;
  }
  /** p's status, given whether its JS runs now (the scheduler's running). */
  status(running: boolean): Status {
    if (!this.alive) return 'exiting';
    if (running) return 'running';
    if (this.queued) return 'runnable';
    return 'waiting';
  }
}

/** Bytes of a process before anything it holds (queued messages, state),
 *  by what it waits in: the figure processInfo and memory() add per
 *  process (procFootprint). Counted block by block on
 *  metal's engine (mote-native, QuickJS 2025 on x86-64, 16-byte headers
 *  included; the wasm64 engine's objects are the same), 10,000 processes.
 *  An async body waiting in `await receive()`, 996 B: its record 208
 *  (6 fields: 256 with 9, before its slice and busy went to the scheduler
 *  and its body and its receive's settle shared `resume`), pid 144, table
 *  entry 80; the body's closure 176; its async
 *  frame 192 (state 160, quickjs-proc-async-state.patch, where it was 192;
 *  stack 32); receive's promise 160, which holds the suspended body itself
 *  (quickjs-suspend-await.patch: the await's resume function 96 and its
 *  reaction 64 were; its Waiter, 208, is the shared BARE since). The body
 *  runs with no promise (Promise.moteRun, quickjs-suspend-body.patch: its
 *  promise 160 and the kernel's watch of it, one reaction 64, were; 1,380 B
 *  then). A body deeper in calls holds a frame per call more. */
export const ASYNC_WAIT_BYTES = 996;
/** A behaviour (gen_server) between messages holds no frame: its record
 *  (5 fields in 6 slots, where it had 10 in 13), pid, table entry, handler
 *  and state (~613 B hosted: 100,000 idle gen_servers, tests/kernel's
 *  idle100k; 741 with 10 fields). */
export const HANDLER_WAIT_BYTES = 613;
/** A body not yet started: its record 208, pid 144, entry 80 and closure
 *  176, and its slot in the run queue (635 B hosted, 100,000 processes). */
export const UNSTARTED_BYTES = 635;
/** What p weighs holding nothing. */
export function procBaseBytes(p: Proc): number {
  if (p.handler !== null) return HANDLER_WAIT_BYTES;
  return unstarted(p) ? UNSTARTED_BYTES : ASYNC_WAIT_BYTES;
}

/** Has p's body yet to start (Proc.resume)? */
export function unstarted(p: Proc): boolean {
  return p.waiter === null && p.resume !== null;
}

/** What processInfo and memory() count for p: its true base and what it
 *  holds. */
export function procFootprint(p: Proc): number {
  return procBaseBytes(p) + p.queuedBytes + p.stateBytes;
}

/** What memory pressure's killer and maxHeapSize count for p: a flat 600 B
 *  base, not procBaseBytes. Weighed truly, an idle async body (1,960 then)
 *  outweighed any process holding less than 1.3 KB of messages, and the killer took
 *  idle bodies holding nothing one by one (images/aco, 24 ants at its least
 *  RAM: ants and colonies killed at 1,960 B each, then the node stopped on
 *  an unhandled out-of-memory rejection, status 100). */
export const PROC_BASE_BYTES = 600;

export function procMemory(p: Proc): number {
  return PROC_BASE_BYTES + p.queuedBytes + p.stateBytes;
}

export const procs = new Map<number, Proc>();

/** The mailbox of every process with none queued; never written to. */
export const EMPTY: Copied[] = [];
Object.freeze(EMPTY);

// Proc's defaults, where every process reads them until it sets its own.
Object.assign(Proc.prototype, {
  resume: null,
  waiter: null,
  mailbox: EMPTY,
  head: 0,
  links: null,
  monitors: null,
  monitoredBy: null,
  trapExit: false,
  name: null,
  alive: true,
  exitReason: undefined,
  detached: false,
  markRef: null,
  markAt: null,
  exposed: false,
  handler: null,
  maxHeapSize: 0,
  maxMailboxLen: 0,
  queuedBytes: 0,
  heldBytes: 0,
  stateBytes: 0,
  priority: 1,
});

export const state = {
  current: null as Proc | null,
  halted: false,
  /** When the running slice started (the scheduler's clock): there is one
   *  slice at a time, so it is not each process's. */
  sliceStart: 0,
  /** Reductions spent this turn, by every process (`charge`, or inline
   *  where it is hot: `state.spent++; p.reductions++`). The running slice
   *  and the turn end at marks on it (scheduler.ts), so a charge is two
   *  increments and no call. */
  spent: 0,
};

export function lookup(pid: Pid): Proc | undefined {
  return procs.get(pid.id);
}

/** The running process, or a clear error; a process that died (it caught
 *  its own exit, say) and runs on gets its exit again. */
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

/** The process calling into the kernel, or null outside any. One that died
 *  (it caught its own exit, say) and runs on gets its exit again: a dead
 *  process must not act. */
export function caller(): Proc | null {
  const p = state.current;
  if (p && !p.alive) throw new ProcessExit(p.exitReason);
  return p;
}

/** The processes runAs runs as, innermost last: a trip of the runaway
 *  guard inside one (a behaviour's init that loops) runs no finally, and
 *  left it alive for ever, its name taken, with state.current its own.
 *  Slots made at load, as signals.ts's deaths. */
const AS_SLOTS = 16;
const asProc: (Proc | null)[] = new Array<Proc | null>(AS_SLOTS).fill(null);
let asDepth = 0;

/** Runs `fn` as process p (used to run a behaviour's init synchronously
 *  inside the caller), then restores the caller. */
export function runAs<T>(p: Proc, fn: () => T): T {
  const saved = state.current;
  const d = asDepth;
  if (d < AS_SLOTS) asProc[d] = p;
  asDepth = d + 1;
  state.current = p;
  try {
    return fn();
  } finally {
    asDepth = d;
    if (d < AS_SLOTS) asProc[d] = null;
    state.current = saved;
  }
}

/** After a trip (crash.ts's mendTrip): each process whose runAs it stopped,
 *  innermost first, handed to `end`; none runs after. */
export function endUnwound(end: (p: Proc) => void): void {
  let d = asDepth < AS_SLOTS ? asDepth : AS_SLOTS;
  asDepth = 0;
  if (d === 0) return;
  state.current = null;
  while (d-- > 0) {
    const p = asProc[d]!;
    asProc[d] = null;
    end(p);
  }
}
