/**
 * The public process API: spawn, send, receive, links, monitors, exits,
 * process flags and introspection of one process.
 */
import { Proc, procs, state, procFootprint, me, caller, runAs, type Handler, type Reason } from './process.ts';
import type { Matcher } from './match.ts';
import { copyTerm, Pid, Ref } from './term.ts';
import { enqueue, running } from './scheduler.ts';
import { receive as anyReceive, receiveSome, markReceive, lastMessage, TIMEOUT, type Timeout } from './receive.ts';
import { addAlias, removeAlias, aliasTarget, monitorEnded } from './alias.ts';
import { die, reasonOf, sendExit, link as linkProcs, unlink as unlinkProcs, monitor as monitorProc, demonitor as demonitorProc, ProcessExit } from './signals.ts';
import { enqueueMessage } from './mailbox.ts';
import { checkLimits, limitsInUse } from './limits.ts';
import { resolveProc } from './registry.ts';
import { PRIORITIES, type Priority } from './run_queue.ts';

export type { Priority };

export interface SpawnOptions {
  /** Link the new process to the caller. */
  link?: boolean;
  /** Start with exits trapped. */
  trapExit?: boolean;
  /** Bytes of queued messages plus reported state past which it is killed. */
  maxHeapSize?: number;
  /** Queued messages past which it is killed. */
  maxMailboxLen?: number;
  /** Its run queue (OTP's priority): max and high run before normal and
   *  low; a waiting low process runs after every 8 normal ones. Default
   *  normal. */
  priority?: Priority;
}

function checkPriority(what: string, v: unknown): number {
  const i = PRIORITIES.indexOf(v as Priority);
  if (i < 0) throw new TypeError(`${what}: priority must be one of ${PRIORITIES.join(', ')}, got ${String(v)}`);
  return i;
}

function checkLimit(what: string, name: string, v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new TypeError(`${what}: ${name} must be an integer >= 0, got ${String(v)}`);
  return v;
}

// A spawn's options as readOptions found them, for newProc to set on the
// record it then makes: one set of module variables, not an object a spawn.
let optHeap = 0;
let optMbox = 0;
let optPriority = -1;

/** Checks a spawn's options (before anything is made: a bad one throws). */
function readOptions(what: string, opts: SpawnOptions, parent: Proc | null): void {
  if (opts.link && !parent) throw new Error(`${what}: link needs a calling process`);
  // All read before any is set: a getter among them may spawn, which
  // reads its own options into the same variables.
  const heap = checkLimit(what, 'maxHeapSize', opts.maxHeapSize);
  const mbox = checkLimit(what, 'maxMailboxLen', opts.maxMailboxLen);
  const priority = opts.priority === undefined ? -1 : checkPriority(what, opts.priority);
  optHeap = heap;
  optMbox = mbox;
  optPriority = priority;
}

/** Sets on p what readOptions found, and trapExit. */
function setOptions(p: Proc, opts: SpawnOptions): void {
  if (optPriority >= 0) p.priority = optPriority;
  if (optHeap !== 0 || optMbox !== 0) limitsInUse();
  if (optHeap !== 0) p.maxHeapSize = optHeap;
  if (optMbox !== 0) p.maxMailboxLen = optMbox;
  if (opts.trapExit === true) p.trapExit = true;
}

function newProc(what: string, opts: SpawnOptions | undefined, body: (() => unknown) | null, handler: Handler | null): Proc {
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) throw new TypeError(`${what}: options must be an object`);
  // var, not const: QuickJS checks a lexical local's initialization at every read.
  var parent = caller();
  // The options are read only when given (a spawn's common case has none).
  if (opts !== undefined) readOptions(what, opts, parent);
  var p = new Proc(parent ? parent.pid : null);
  // Only what differs from Proc's defaults: a field set costs the record.
  if (opts !== undefined) setOptions(p, opts);
  if (handler !== null) p.handler = handler;
  if (body !== null) p.resume = body;
  procs.set(p.pid.id, p);
  try {
    if (opts?.link && parent) linkProcs(parent, p);
    if (body !== null) enqueue(p);
  } catch (e) {
    // Atomic: what failed after the insert (an allocation: the link's set,
    // the run queue's slot) leaves no process that would never run.
    procs.delete(p.pid.id);
    parent?.links?.delete(p);
    if (body !== null) p.resume = null;
    p.alive = false;
    throw e;
  }
  return p;
}

/** Starts a process running `body` (usually an async function). */
export function spawn(body: () => unknown, opts?: SpawnOptions): Pid {
  if (typeof body !== 'function') throw new TypeError(`spawn: body must be a function, got ${typeof body}`);
  return newProc('spawn', opts, body, null).pid;
}

export function spawnLink(body: () => unknown, opts?: SpawnOptions): Pid {
  return spawn(body, { ...opts, link: true });
}

export interface SpawnMonitorOptions extends SpawnOptions {
  /** The monitor's options (OTP's spawn_opt `{monitor, Opts}`): `{ alias }`,
   *  as `monitor` takes them. */
  monitor?: MonitorOptions;
}

export function spawnMonitor(body: () => unknown, opts?: SpawnMonitorOptions): { pid: Pid; ref: Ref } {
  const parent = me('spawnMonitor');
  const mode = opts?.monitor === undefined ? undefined : monitorAlias(opts.monitor);
  const pid = spawn(body, opts);
  const last = lastMessage(parent);
  const ref = monitorProc(parent, procs.get(pid.id), pid, null);
  if (mode) addAlias(parent, ref, mode);
  markReceive(parent, ref, last);
  return { pid, ref };
}

/**
 * Starts a behaviour process driven by `handler`; `init` runs at once,
 * synchronously, as the new process. Used by the stdlib (gen_server).
 * If init throws, the process dies with that error and it is rethrown.
 */
export function spawnHandler(handler: Handler, init: (() => void) | null, opts?: SpawnOptions): Pid {
  const spawner = state.current;
  const p = newProc('spawnHandler', opts, null, handler);
  if (init) {
    try {
      runAs(p, init);
    } catch (e) {
      // As proc_lib does on a failed init: unlink the caller first, so it
      // gets the error as a return value rather than an exit signal. What
      // init linked (a supervisor's children) dies with it, as in OTP:
      // unlinked too, a supervisor's init that ran out of memory left its
      // children running, their names taken for its restart.
      if (spawner !== null) unlinkProcs(p, spawner);
      if (p.alive) die(p, reasonOf(e));
      throw e;
    }
  }
  return p.pid;
}

export function self(): Pid {
  return me('self').pid;
}

/** Sends a copy of `msg` to a pid, a registered name or an alias; returns
 *  `msg`. A dead pid, or an alias no longer active, drops it silently; an
 *  unknown name throws; a dead sender (one that caught its own exit) gets
 *  its exit again and sends nothing. */
export function send<T>(dest: Pid | string | Ref, msg: T): T {
  // var, not const or let, on the message path: QuickJS checks a lexical
  // local's initialization at every read (and resets one in a block at each entry).
  var cur = state.current;
  if (cur !== null && !cur.alive) throw new ProcessExit(cur.exitReason); // caller(), inline: the hottest path
  var p = dest instanceof Pid ? procs.get(dest.id) : dest instanceof Ref ? aliasTarget(dest) : resolveProc(dest, 'send');
  if (!p && typeof dest === 'string') throw new Error(`send: no process is registered as "${dest}"`);
  var m = copyTerm(msg, 'send');
  if (cur) {
    state.spent++; // charge(cur), inline
    cur.reductions++;
  }
  if (p) {
    enqueueMessage(p, m);
    // The sender may have died of this send: its own limit, a link to the
    // receiver, or memory pressure.
    if (cur && !cur.alive) throw new ProcessExit(cur.exitReason);
  }
  return msg;
}

/** Waits for the oldest message matching any matcher (any message if none).
 *  receive.ts's own: a call less per message than a wrapper here. */
export const receive = anyReceive as {
  <T = any>(matchers?: Matcher | Matcher[] | null): Promise<T>;
  <T = any>(matchers: Matcher | Matcher[] | null | undefined, opts: { after: number }): Promise<T | Timeout>;
};

/** Suspends the calling process for `ms` milliseconds. */
export async function sleep(ms: number): Promise<void> {
  if (typeof ms !== 'number' || !(ms >= 0)) throw new TypeError(`sleep: ms must be a number >= 0, got ${String(ms)}`);
  await receiveSome([NEVER], { after: ms });
}
const NEVER = (): boolean => false;

/** exit(reason) ends the caller; exit(pid, reason) sends an exit signal. */
export function exit(reason: Reason): never;
export function exit(pid: Pid, reason: Reason): void;
export function exit(a: unknown, b?: unknown): void {
  if (arguments.length < 2) {
    me('exit');
    throw new ProcessExit(a);
  }
  if (!(a instanceof Pid)) throw new TypeError(`exit: expected a pid, got ${String(a)}`);
  sendExit(caller(), procs.get(a.id), b);
}

function target(what: string, pid: unknown): Proc | undefined {
  if (!(pid instanceof Pid)) throw new TypeError(`${what}: expected a pid, got ${String(pid)}`);
  return procs.get(pid.id);
}

/** Links the caller and `pid`. Linking to a dead process sends the caller an
 *  EXIT (noproc) if it traps exits, and otherwise ends it with noproc. */
export function link(pid: Pid): void {
  const p = me('link');
  const t = target('link', pid);
  if (t) return linkProcs(p, t);
  if (p.trapExit) enqueueMessage(p, copyTerm({ type: 'EXIT', from: pid, reason: 'noproc' }, 'link'));
  else throw new ProcessExit('noproc');
}

export function unlink(pid: Pid): void {
  const p = me('unlink');
  const t = target('unlink', pid);
  if (t) unlinkProcs(p, t);
}

/** Monitors a pid or a registered name. A dead pid gets DOWN noproc for that
 *  pid. A monitor taken by name gets its DOWN with `name` set (OTP's
 *  `{Name, Node}`), the process's `pid` beside it; a name with no process
 *  gets DOWN noproc at once, its `pid` one that never named a process. */
export function monitor(dest: Pid | string, opts?: MonitorOptions): Ref {
  const p = me('monitor');
  const mode = opts === undefined ? undefined : monitorAlias(opts);
  const t = resolveProc(dest, 'monitor');
  const last = lastMessage(p);
  const ref = dest instanceof Pid ? monitorProc(p, t, dest, null) : monitorProc(p, t, t ? t.pid : new Pid(), dest);
  // A monitor whose DOWN is already sent (noproc) ends its alias at once.
  if (mode && (mode === 'explicit_unalias' || p.monitors?.has(ref.id))) addAlias(p, ref, mode);
  markReceive(p, ref, last);
  return ref;
}

export interface MonitorOptions {
  /** The monitor's ref is also an alias of the caller (OTP's
   *  `{alias, Mode}`): until `unalias` (explicit_unalias), until the
   *  monitor ends by demonitor or DOWN (demonitor), or also until a
   *  message sent through it arrives, which removes the monitor too
   *  (reply_demonitor). */
  alias?: 'explicit_unalias' | 'demonitor' | 'reply_demonitor';
}

function monitorAlias(opts: MonitorOptions): MonitorOptions['alias'] {
  if (opts === null || typeof opts !== 'object') throw new TypeError('monitor: options must be an object ({ alias })');
  const a = opts.alias;
  if (a !== undefined && a !== 'explicit_unalias' && a !== 'demonitor' && a !== 'reply_demonitor') {
    throw new TypeError(`monitor: alias must be 'explicit_unalias', 'demonitor' or 'reply_demonitor', got ${String(a)}`);
  }
  return a;
}

export interface AliasOptions {
  /** Deactivated only by `unalias` (the default, OTP's explicit_unalias). */
  explicitUnalias?: boolean;
  /** Deactivated also when the first message sent through it arrives
   *  (OTP's `reply`). */
  reply?: boolean;
}

/** erlang:alias/0,1: a new alias of the caller. `send(alias, msg)` reaches
 *  the caller while the alias is active, and is dropped after. */
export function alias(opts?: AliasOptions): Ref {
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) throw new TypeError('alias: options must be an object ({ explicitUnalias, reply })');
  if (opts?.reply && opts.explicitUnalias) throw new TypeError('alias: reply and explicitUnalias exclude each other');
  const p = me('alias');
  const ref = new Ref();
  addAlias(p, ref, opts?.reply ? 'reply' : 'explicit_unalias');
  markReceive(p, ref, lastMessage(p));
  return ref;
}

/** erlang:unalias/1: deactivates an alias of the caller, however it was
 *  made; true if it was active. A monitor's alias goes, the monitor stays. */
export function unalias(alias: Ref): boolean {
  if (!(alias instanceof Ref)) throw new TypeError(`unalias: expected a ref, got ${String(alias)}`);
  return removeAlias(me('unalias'), alias);
}

export interface DemonitorOptions {
  /** Also remove the monitor's DOWN if it is already queued. */
  flush?: boolean;
  /** Return whether the monitor was still active. */
  info?: boolean;
}

/** Removes a monitor, as erlang:demonitor/1,2: returns true, or with
 *  `info`, whether the monitor was found and removed (false: its DOWN was
 *  already sent, and with `flush` is now dropped). `flush` also removes the
 *  DOWN if already queued. */
export function demonitor(ref: Ref, opts?: DemonitorOptions): boolean {
  if (!(ref instanceof Ref)) throw new TypeError(`demonitor: expected a ref, got ${String(ref)}`);
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) throw new TypeError('demonitor: options must be an object ({ flush, info })');
  const p = me('demonitor');
  const active = demonitorProc(p, ref, opts?.flush === true);
  monitorEnded(p, ref);
  return opts?.info === true ? active : true;
}

/** process_flag(trap_exit, on); returns the old value. */
export function trapExit(on: boolean): boolean {
  if (typeof on !== 'boolean') throw new TypeError('trapExit: expected a boolean');
  const p = me('trapExit');
  const old = p.trapExit;
  p.trapExit = on;
  return old;
}

/** process_flag(priority, level): the caller's run queue from its next
 *  slice on; returns the old level. */
export function setPriority(level: Priority): Priority {
  const i = checkPriority('setPriority', level);
  const p = me('setPriority');
  const old = PRIORITIES[p.priority]!;
  p.priority = i;
  return old;
}

export function isAlive(pid: Pid): boolean {
  return target('isAlive', pid) !== undefined;
}

export interface ProcessInfo {
  pid: Pid;
  status: 'runnable' | 'running' | 'waiting' | 'exiting';
  messageQueueLen: number;
  /** Approximate bytes: the process record, queued messages, state. */
  memory: number;
  links: Pid[];
  monitors: Pid[];
  monitoredBy: Pid[];
  registeredName: string | null;
  /** "async" for a process body, else the behaviour's name. */
  behaviour: string;
  /** A behaviour waiting hibernated (OTP: its current_function is
   *  erlang:hibernate/3): a gen_server after a `hibernate` result, or idle
   *  for its `hibernateAfter`, until its next message. */
  hibernated: boolean;
  trapExit: boolean;
  priority: Priority;
  reductions: number;
  parent: Pid | null;
}

export function processInfo(pid: Pid): ProcessInfo | undefined {
  const p = target('processInfo', pid);
  if (!p) return undefined;
  return {
    pid: p.pid,
    status: p.status(p === state.current || running(p)),
    messageQueueLen: p.queueLen(),
    memory: procFootprint(p),
    links: p.links ? [...p.links].map((q) => q.pid) : [],
    monitors: p.monitors ? [...p.monitors.values()].map((m) => m.target.pid) : [],
    monitoredBy: p.monitoredBy ? [...p.monitoredBy.values()].map((m) => m.watcher.pid) : [],
    registeredName: p.name,
    behaviour: p.handler ? p.handler.behaviour : 'async',
    hibernated: p.handler?.hibernated === true,
    trapExit: p.trapExit,
    priority: PRIORITIES[p.priority]!,
    reductions: p.reductions,
    parent: p.parent,
  };
}

/** A behaviour reports the size of its state (for maxHeapSize and memory). */
export function reportStateBytes(bytes: number): void {
  const p = me('reportStateBytes');
  p.stateBytes = bytes;
  if (!checkLimits(p)) throw new ProcessExit('killed');
}

/** Does the caller have a heap limit (so a behaviour should measure)? */
export function hasHeapLimit(): boolean {
  const p = state.current;
  return p !== null && p.maxHeapSize > 0;
}

export { TIMEOUT };
export type { Timeout };
