/**
 * GenServer: OTP's gen_server, driven by callbacks (no JS frame is held
 * while a server waits, so idle servers are cheap).
 *
 *   user module                        generic (this file)
 *   -----------                        -------------------
 *   init(arg)                    <---  start / startLink (synchronous);
 *                                      enterLoop(mod, state) makes the
 *                                      caller the server, without init
 *   handleCall(req, from, state) <---  call(server, req, timeout = 5000),
 *                                      sendRequest (gen_server_requests.ts)
 *   handleCast(msg, state)       <---  cast(server, msg)
 *   handleInfo(msg, state)       <---  any other message, and 'timeout'
 *   handleContinue(c, state)     <---  a result's `continue: c`, before
 *                                      any other message
 *   terminate(reason, state)     <---  stop, a callback's stop result, a
 *                                      crash, or an EXIT from the parent
 *                                      while trapping exits
 *
 * Results (`timeout: ms`, `continue: c` and `hibernate: true` may be added
 * to every result that keeps the server running; `timeout` sends handleInfo
 * 'timeout' if no message comes within ms; `hibernate` compacts the state,
 * the part of OTP's hibernate an idle server without a frame still needs,
 * compact.ts; with `continue`, the continue's own result decides):
 *   init        { ok: state } | { stop: reason } | { ignore: true }
 *   handleCall  { reply, state } | { noreply: true, state } | { stop, reply?, state }
 *   handleCast, handleInfo, handleContinue   { state } | { stop, state }
 * Any other result ends the server with `{ bad_return_value: result }`.
 *
 * A callback may be async (return a promise); the server then handles
 * nothing else until it settles, and may `await` calls to other servers.
 * init and terminate run synchronously if they return a value.
 */
import { Pid, Ref } from '../term.ts';
import { self, send, receive, monitor, demonitor, unlink, exit, processInfo, type SpawnOptions } from '../process_api.ts';
import { ProcessExit, type DownMessage, type ExitMessage } from '../signals.ts';
import { register, unregister, whereis } from '../registry.ts';
import { sendAfter, cancelTimer } from '../send_after.ts';
import { monotonicTime } from '../system.ts';
import * as logger from '../logger.ts';
import type { Reason } from '../reasons.ts';
import { spawnHandler, hasHeapLimit, reportStateBytes, reasonOf, isOutOfMemory, EnginePromise, watch, resolveProc, termSize, call as genCall, reply, isCall, DEFAULT_CALL_TIMEOUT, type From } from './internal.ts';
import { crashText } from './report.ts';
import { compact } from './compact.ts';
import { makeRequests } from './gen_server_requests.ts';
import { handleSystem, traceLine, SYS_TAG, type Status } from './sys.ts';

export type { From };
export type ServerRef = Pid | string;

type Maybe<T> = T | Promise<T>;
/** What may follow a result that keeps the server running. */
export interface Then {
  /** ms without a message after which handleInfo gets 'timeout'. */
  timeout?: number;
  /** handleContinue(continue, state) runs next, before any message. */
  continue?: unknown;
  /** Hibernate until the next message: the state is compacted (compact.ts). */
  hibernate?: boolean;
}
export type InitResult<S> = ({ ok: S } & Then) | { stop: Reason } | { ignore: true };
export type CallResult<S, R = unknown> = (({ reply: R; state: S } | { noreply: true; state: S }) & Then) | { stop: Reason; reply?: R; state: S };
/** `reply?: never`: a handleCast or handleInfo returning a reply is a type error (nobody waits for it). */
export type NoReply<S> = ({ state: S; reply?: never } & Then) | { stop: Reason; state: S };

export interface ServerModule<S, A = unknown> {
  init(arg: A): InitResult<S>;
  handleCall?(req: any, from: From, state: S): Maybe<CallResult<S>>;
  handleCast?(msg: any, state: S): Maybe<NoReply<S>>;
  handleInfo?(msg: any, state: S): Maybe<NoReply<S>>;
  handleContinue?(cont: any, state: S): Maybe<NoReply<S>>;
  /** What sys.getStatus shows of the state (OTP's format_status/1). */
  formatStatus?(status: Status): Status;
  terminate?(reason: Reason, state: S): unknown;
}

export interface StartOptions extends Omit<SpawnOptions, 'link'> {
  /** Register the server under this name. */
  name?: string;
  /** ms init may take: past it, the server is killed and start gives
   *  `{ error: 'timeout' }`. init is synchronous, so start returns when
   *  init does, not at the deadline. Default Infinity. */
  timeout?: number;
  /** ms without a message after which the server hibernates by itself
   *  (OTP's hibernate_after), as a `hibernate` result would; a result's
   *  `timeout` comes first. Default Infinity: never. */
  hibernateAfter?: number;
}

export type StartResult = { ok: Pid } | { error: Reason } | { ignore: true };

const TAG = '$gen_server';

/** A callback's promise `r` that the server could not chain (its `then`,
 *  or the closures for it, found no memory: `e`): the server dies of it
 *  (out_of_memory, as the error goes on), and r gets a handler that ignores
 *  it first, made in the room the engine's error left (the engine's watch
 *  is one allocation, with no derived promise). Else r, which nobody waits
 *  for now, stopped the node with 100 when it rejected in its turn, as an
 *  unhandled rejection (images/aco at its least RAM: a supervisor's async
 *  handleInfo, awaiting a restart, ran out after its then did). */
function unfollowed(r: PromiseLike<unknown>, e: unknown): never {
  if (isOutOfMemory(e)) {
    try {
      if (watch !== null && r instanceof EnginePromise) watch(r, ignoreWatched, UNFOLLOWED);
      else if (r instanceof EnginePromise) EnginePromise.prototype.then.call(r, undefined, ignoreWatched);
    } catch {
      // no room even for that: the host reports the rejection
    }
  }
  throw e;
}
const UNFOLLOWED = Object.freeze({});
function ignoreWatched(): void {}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as PromiseLike<unknown>).then === 'function';
}

const CLEANUP = Symbol('gen_server cleanup');
type Cleanup = { reason: Reason; run: () => Promise<unknown> };

/**
 * For the stdlib (mote does not export it): an init result that fails the
 * start as `{ stop: reason }` does (`start` returns `{ error: reason }` at
 * once, the caller unlinked and the name freed), but the failed process
 * first runs `cleanup`, which may wait (the supervisor stops the children it
 * started with their shutdown specs), and then exits with `reason`.
 */
export function stopAfter(reason: Reason, cleanup: () => Promise<unknown>): { stop: Reason } {
  return Object.assign({ stop: reason }, { [CLEANUP]: cleanup });
}

/** Is the running process still alive? A killed one's kernel calls throw its exit. */
function selfAlive(): boolean {
  try {
    self();
    return true;
  } catch {
    return false;
  }
}

function isNormal(r: Reason): boolean {
  return r === 'normal' || r === 'shutdown' || (r !== null && typeof r === 'object' && 'shutdown' in (r as object));
}

/** A value as it can travel in an exit reason (functions as text). */
function showable(v: unknown): unknown {
  return typeof v === 'function' || typeof v === 'symbol' ? String(v) : v;
}

const RESULTS: Record<string, string> = {
  handleCall: '{ reply, state }, { noreply, state } or { stop, state }',
  handleCast: '{ state } or { stop, state }',
  handleInfo: '{ state } or { stop, state }',
  handleContinue: '{ state } or { stop, state }',
};

/**
 * One running server: the process's Handler. A class, not closures, so an
 * idle server costs one small object plus its state (methods live on the
 * prototype, shared by all servers).
 */
class Server<S> {
  state!: S;
  parent: Pid | null = null;
  stopping = false;
  /** Set by a failed init that must clean up first (see stopAfter). Not
   *  initialised: an idle server should not pay a property for a rare case. */
  declare cleanup?: Cleanup;
  /** The armed `timeout` of the last result, and its number (a timeout
   *  message of an older one is stale). */
  declare timer?: Ref | null;
  declare timerSeq?: number;
  /** init's `continue`, run before the first message. */
  declare pending?: { value: unknown };
  /** Why a result was refused, for the crash report. */
  declare badResult?: string;
  /** Set by sys.trace. */
  declare traced?: boolean;
  /** The start's hibernateAfter, and the idle timer it arms (a message of
   *  an older one is stale, as a timeout's). */
  declare hibernateAfter?: number;
  declare idle?: Ref | null;
  declare idleSeq?: number;
  /** Set while hibernated (processInfo's hibernated). */
  declare hibernated?: boolean;
  /** Set by sys.statistics. */
  declare stats?: { startTime: number; reductions: number; messagesIn: number; messagesOut: number };
  constructor(readonly mod: ServerModule<S, any>) {}

  get behaviour(): string {
    return 'gen_server';
  }

  measure(): void {
    if (hasHeapLimit()) reportStateBytes(termSize(this.state));
  }

  /** The crash report: once, with the stack, for an abnormal reason. */
  terminate(reason: Reason): unknown {
    this.stopping = true;
    if (!isNormal(reason)) {
      const hint = this.badResult ? ` (${this.badResult})` : '';
      logger.error(`gen_server ${self()} terminating${hint}, reason: ${crashText(reason)}`);
    }
    return this.mod.terminate ? this.mod.terminate(reason, this.state) : undefined;
  }

  /** Ends the server: terminate, then exit with `reason`. `after` (the
   *  reply of a `{ stop, reply }` result) runs once terminate is over, even
   *  if it failed, as OTP's gen_server replies in an `after` clause. */
  stopWith(reason: Reason, after?: () => void): unknown {
    let t: unknown;
    try {
      t = this.terminate(reason);
    } catch (e) {
      after?.();
      throw e;
    }
    const finish = (): never => {
      after?.();
      throw new ProcessExit(reason);
    };
    if (!isThenable(t)) return finish();
    try {
      return t.then(finish, (e) => { after?.(); throw new ProcessExit(reasonOf(e)); });
    } catch (e) {
      return unfollowed(t, e);
    }
  }

  /** A callback threw: terminate runs for every exception, exits included
   *  (as OTP's gen_server does), unless the process is already dead (killed
   *  with `kill`, which cannot be trapped) or terminate itself failed. */
  fail(e: unknown): unknown {
    if (this.stopping) throw e;
    if (e instanceof ProcessExit && !selfAlive()) throw e;
    return this.stopWith(reasonOf(e));
  }

  /** A result that is none of the documented ones: OTP's bad_return_value. */
  bad(what: string, r: unknown): unknown {
    this.badResult = `${what} must return ${RESULTS[what] ?? 'a documented result'}`;
    return this.stopWith({ bad_return_value: showable(r) as Reason });
  }

  /** Runs a callback; a promise result makes the process busy until it settles. */
  run(cb: () => unknown, then: (r: any) => unknown): unknown {
    let r: unknown;
    try {
      r = cb();
    } catch (e) {
      return this.fail(e);
    }
    if (!isThenable(r)) return then(r);
    try {
      return r.then(then, (e) => this.fail(e));
    } catch (e) {
      return unfollowed(r, e);
    }
  }

  /** After a result that keeps the server: its `continue`, else its `timeout`. */
  next(r: Then, what: string): unknown {
    if (r.continue !== undefined) {
      const mod = this.mod;
      if (!mod.handleContinue) return this.fail(new Error(`GenServer: ${what} returned continue, but the module has no handleContinue`));
      return this.run(() => mod.handleContinue!(r.continue, this.state), (c: NoReply<S>) => this.noreply('handleContinue', c));
    }
    if (r.timeout !== undefined && r.timeout !== Infinity) this.arm(r.timeout);
    if (r.hibernate === true) this.hibernate();
    else if (this.hibernateAfter !== undefined && !this.timer) this.armIdle();
    return undefined;
  }

  /** hibernateAfter: an idle timer, whose message hibernates the server. */
  armIdle(): void {
    const seq = (this.idleSeq ?? 0) + 1;
    this.idleSeq = seq;
    this.idle = sendAfter(this.hibernateAfter!, self(), { $idle: TAG, seq });
  }

  /** OTP's hibernate, as far as mote needs one: an idle server holds no
   *  frame already, so its state is rebuilt at its exact size (compact.ts),
   *  as a garbage collection compacts a process's heap. */
  hibernate(): void {
    this.state = compact(this.state);
    this.measure();
    this.hibernated = true;
  }

  arm(ms: number): void {
    if (typeof ms !== 'number' || !(ms >= 0)) {
      this.fail(new TypeError(`GenServer: timeout must be a number >= 0 or Infinity, got ${String(ms)}`));
      return;
    }
    const seq = (this.timerSeq ?? 0) + 1;
    this.timerSeq = seq;
    this.timer = sendAfter(ms, self(), { $timeout: TAG, seq });
  }

  noreply(what: string, r: NoReply<S>): unknown {
    if (!r || typeof r !== 'object' || !('state' in r)) return this.bad(what, r);
    this.state = r.state;
    if ('stop' in r) return this.stopWith(r.stop);
    if (this.traced) traceLine('new state', r.state);
    this.measure();
    return this.next(r, what);
  }

  callResult(from: From, r: CallResult<S>): unknown {
    if (!r || typeof r !== 'object' || !('state' in r) || !('reply' in r || 'noreply' in r || 'stop' in r)) return this.bad('handleCall', r);
    this.state = r.state;
    if (this.stats && 'reply' in r) this.stats.messagesOut++;
    if ('stop' in r) return this.stopWith(r.stop, () => ('reply' in r ? reply(from, r.reply) : undefined));
    if ('reply' in r) reply(from, r.reply);
    if (this.traced) traceLine(`${'reply' in r ? `sent reply to ${from.pid}, ` : ''}new state`, r.state);
    this.measure();
    return this.next(r, 'handleCall');
  }

  onMessage(msg: any): unknown {
    if (this.cleanup) {
      // A failed start: clean up (any message, the one start sent or
      // another, sets it going), then exit with the init's reason.
      const { reason, run } = this.cleanup;
      this.cleanup = undefined;
      this.stopping = true;
      const end = (): never => {
        throw new ProcessExit(reason);
      };
      const t = run();
      try {
        return t.then(end, end);
      } catch (e) {
        return unfollowed(t, e);
      }
    }
    if (this.pending) {
      // init's continue runs before any message (start sent one to wake it).
      const c = this.pending;
      this.pending = undefined;
      const r = this.next({ continue: c.value }, 'init');
      if (msg && msg.$wake === TAG) return r;
      if (!isThenable(r)) return this.handle(msg);
      try {
        return r.then(() => this.handle(msg));
      } catch (e) {
        return unfollowed(r, e);
      }
    }
    return this.handle(msg);
  }

  handle(msg: any): unknown {
    const mod = this.mod;
    // A system message leaves a hibernated server hibernated, as in OTP.
    if (isCall(msg, SYS_TAG)) return handleSystem(this, msg.req as { op: string }, msg.from);
    if (msg && typeof msg === 'object' && msg.$idle === TAG) {
      if (this.idle && msg.seq === this.idleSeq) {
        this.idle = null;
        this.hibernate();
      }
      return undefined;
    }
    // A stale timeout (a message overtook it) never happened, as in OTP,
    // where a timeout is the receive's own: hibernated or idle, the server
    // stays so, its idle timer still running.
    if (msg && typeof msg === 'object' && msg.$timeout === TAG && (!this.timer || msg.seq !== this.timerSeq)) return undefined;
    if (this.hibernated) this.hibernated = false;
    if (this.idle) {
      cancelTimer(this.idle);
      this.idle = null;
    }
    if (msg && typeof msg === 'object' && msg.$timeout === TAG) {
      this.timer = null;
      msg = 'timeout';
    } else if (this.timer) {
      // Any message cancels the timeout, as in OTP.
      cancelTimer(this.timer);
      this.timer = null;
    }
    if (this.traced) traceIn(msg);
    if (this.stats) this.stats.messagesIn++;
    if (isCall(msg, TAG)) {
      const from = msg.from;
      if (!mod.handleCall) return this.fail(new Error('GenServer: call to a server without handleCall'));
      return this.run(() => mod.handleCall!(msg.req, from, this.state), (r: CallResult<S>) => this.callResult(from, r));
    }
    if (msg && typeof msg === 'object') {
      if (msg.$cast === TAG && '$cast' in msg) {
        if (!mod.handleCast) return this.fail(new Error('GenServer: cast to a server without handleCast'));
        return this.run(() => mod.handleCast!(msg.msg, this.state), (r: NoReply<S>) => this.noreply('handleCast', r));
      }
      if (msg.$stop === TAG) return this.stopWith(msg.reason);
      if (msg.$wake === TAG) return undefined;
      if (msg.type === 'EXIT' && this.parent && (msg as ExitMessage).from === this.parent) return this.stopWith((msg as ExitMessage).reason);
    }
    if (!mod.handleInfo) {
      logger.warning(`gen_server ${self()} received an unexpected message:`, msg);
      return this.next({}, 'handleInfo');
    }
    return this.run(() => mod.handleInfo!(msg, this.state), (r: NoReply<S>) => this.noreply('handleInfo', r));
  }
}

/** sys.trace's line for an event coming in. */
function traceIn(msg: any): void {
  if (isCall(msg, TAG)) traceLine(`got call from ${msg.from.pid}:`, msg.req);
  else if (msg && typeof msg === 'object' && msg.$cast === TAG) traceLine('got cast', msg.msg);
  else traceLine('got', msg);
}

const INIT_RESULTS = 'GenServer: init must return { ok: state }, { stop: reason } or { ignore: true }';

function start<S, A>(mod: ServerModule<S, A>, arg: A, opts: StartOptions | undefined, link: boolean): StartResult {
  if (!mod || typeof mod.init !== 'function') throw new TypeError('GenServer.start: the module must have an init function');
  // Read, not destructured: an object rest per start cost the 100,000-idle-
  // servers budget (tests/kernel/quickjs.test.ts) more than it had.
  const timeout = opts?.timeout ?? Infinity;
  if (timeout !== Infinity && (typeof timeout !== 'number' || !(timeout >= 0))) throw new TypeError(`GenServer.start: timeout must be a number >= 0 or Infinity, got ${String(timeout)}`);
  const hibernateAfter = opts?.hibernateAfter ?? Infinity;
  if (hibernateAfter !== Infinity && (typeof hibernateAfter !== 'number' || !(hibernateAfter >= 0))) throw new TypeError(`GenServer.start: hibernateAfter must be a number >= 0 or Infinity, got ${String(hibernateAfter)}`);
  const name = opts?.name;
  // As OTP: a name already taken gives the holder's pid, and no process.
  const holder = name !== undefined ? whereis(name) : undefined;
  if (holder) return { error: { already_started: holder } };
  const server = new Server<S>(mod);
  if (hibernateAfter !== Infinity) server.hibernateAfter = hibernateAfter;
  let ignored = false;
  let pid: Pid;
  const t0 = timeout === Infinity ? 0 : monotonicTime();
  try {
    pid = spawnHandler(server, () => {
      // As OTP: gen_server:start makes the server its own parent; only
      // startLink's parent (the spawner) stops it with an EXIT.
      server.parent = link ? processInfo(self())!.parent : self();
      if (name !== undefined) register(name, self());
      const r = mod.init(arg);
      if (isThenable(r)) throw new TypeError('GenServer: init must return its result synchronously');
      if (!r || typeof r !== 'object') throw new TypeError(INIT_RESULTS);
      if ('stop' in r) {
        const run = (r as { [CLEANUP]?: () => Promise<unknown> })[CLEANUP];
        if (!run) throw new ProcessExit(r.stop);
        server.cleanup = { reason: r.stop, run };
        return;
      }
      if ('ignore' in r) {
        ignored = true;
        throw new ProcessExit('normal');
      }
      if (!('ok' in r)) throw new TypeError(INIT_RESULTS);
      server.state = r.ok;
      server.measure();
      if (r.continue !== undefined) {
        server.pending = { value: r.continue };
        send(self(), { $wake: TAG });
      } else server.next(r, 'init');
    }, { ...opts, link });
  } catch (e) {
    if (ignored) return { ignore: true };
    return { error: reasonOf(e) };
  }
  if (server.cleanup) {
    // As for any failed start, the caller is no longer linked and the name
    // is free; the process lives on only to run its cleanup.
    if (link) unlink(pid);
    if (name !== undefined) unregister(name);
    send(pid, { $cleanup: TAG });
    return { error: server.cleanup.reason };
  }
  if (timeout !== Infinity && monotonicTime() - t0 > timeout) {
    // As OTP's start timeout: the server is killed, the caller told.
    if (link) unlink(pid);
    exit(pid, 'kill');
    return { error: 'timeout' };
  }
  return { ok: pid };
}

export interface EnterLoopOptions extends Then {
  /** The name the caller is registered under already (OTP's ServerName);
   *  if it is not, the caller exits with `process_not_registered`. */
  name?: string;
}

/** OTP's enter_loop: the calling process (an async body) becomes the server
 *  of `mod` with `state`, without init. It never returns: the server's end
 *  is the process's exit. Its parent is its spawner, as proc_lib's. Unlike
 *  a started server it holds its body's frame while it waits, so hibernate
 *  compacts its state but cannot drop that frame. */
async function enterLoop<S>(mod: ServerModule<S, any>, state: S, opts?: EnterLoopOptions): Promise<never> {
  if (!mod || typeof mod !== 'object') throw new TypeError('GenServer.enterLoop: expected a callback module');
  const me = self();
  if (opts?.name !== undefined && whereis(opts.name) !== me) throw new ProcessExit('process_not_registered');
  const server = new Server<S>(mod);
  server.state = state;
  server.parent = processInfo(me)!.parent ?? me;
  server.measure();
  let r = server.next(opts ?? {}, 'enterLoop');
  for (;;) {
    if (isThenable(r)) await r;
    r = server.onMessage(await receive());
  }
}

export type { RequestId, RequestIds, Response, Answered, ResponseTimeout } from './gen_server_requests.ts';

export const GenServer = {
  DEFAULT_CALL_TIMEOUT,
  ...makeRequests(TAG),
  /** Starts a server; init runs before this returns. */
  start<S, A>(mod: ServerModule<S, A>, arg: A, opts?: StartOptions): StartResult {
    return start(mod, arg, opts, false);
  },
  enterLoop,
  /** Starts a server linked to the caller. */
  startLink<S, A>(mod: ServerModule<S, A>, arg: A, opts?: StartOptions): StartResult {
    return start(mod, arg, opts, true);
  },
  /** Calls the server and waits for its reply; exits the caller after
   *  `timeout` ms (default 5000) or if the server dies. */
  call<R = any>(server: ServerRef, req: unknown, timeout: number = DEFAULT_CALL_TIMEOUT): Promise<R> {
    return genCall(server, TAG, req, timeout) as Promise<R>;
  },
  /** Sends a request without waiting. Never fails, as in OTP. */
  cast(server: ServerRef, msg: unknown): void {
    try {
      send(server, { $cast: TAG, msg });
    } catch (e) {
      if (typeof server !== 'string') throw e;
    }
  },
  reply,
  /** Stops the server with `reason` (terminate runs) and waits until it is
   *  gone. Exits the caller with `noproc` if there is no such process
   *  (a dead pid, a name not registered), with `timeout` after `timeout` ms,
   *  and with the server's reason if it ends with another one. */
  async stop(server: ServerRef, reason: Reason = 'normal', timeout = Infinity): Promise<void> {
    // Checked before anything is sent: a bad timeout leaves the server running, as in OTP.
    if (timeout !== Infinity && (typeof timeout !== 'number' || !(timeout >= 0))) throw new TypeError(`GenServer.stop: timeout must be a number >= 0 or Infinity, got ${String(timeout)}`);
    const p = resolveProc(server, 'GenServer.stop');
    if (!p) throw new ProcessExit('noproc');
    // A server waiting for its own end would wait forever (OTP's stop is a
    // call, and exits with calling_self).
    if (p.pid === self()) throw new ProcessExit('calling_self');
    const ref = monitor(p.pid);
    send(p.pid, { $stop: TAG, reason });
    const m = await receive<DownMessage>({ type: 'DOWN', ref }, { after: timeout });
    if (typeof m !== 'object') {
      demonitor(ref, { flush: true });
      throw new ProcessExit('timeout');
    }
    if (m.reason === 'noproc') throw new ProcessExit('noproc');
    if (m.reason !== reason && JSON.stringify(m.reason) !== JSON.stringify(reason)) throw new ProcessExit(m.reason);
  },
};
