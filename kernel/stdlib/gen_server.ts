/**
 * GenServer: OTP's gen_server, driven by callbacks (no JS frame is held
 * while a server waits, so idle servers are cheap).
 *
 *   user module                        generic (this file)
 *   -----------                        -------------------
 *   init(arg)                    <---  start / startLink (synchronous)
 *   handleCall(req, from, state) <---  call(server, req, timeout = 5000)
 *   handleCast(msg, state)       <---  cast(server, msg)
 *   handleInfo(msg, state)       <---  any other message
 *   terminate(reason, state)     <---  stop, a callback's stop result, a
 *                                      crash, or an EXIT from the parent
 *                                      while trapping exits
 *
 * Results:
 *   init        { ok: state } | { stop: reason } | { ignore: true }
 *   handleCall  { reply, state } | { noreply: true, state } | { stop, reply?, state }
 *   handleCast, handleInfo   { state } | { stop, state }
 *
 * A callback may be async (return a promise); the server then handles
 * nothing else until it settles, and may `await` calls to other servers.
 * init and terminate run synchronously if they return a value.
 */
import { Pid } from '../term.ts';
import { spawnHandler, self, send, receive, monitor, demonitor, unlink, hasHeapLimit, reportStateBytes, type SpawnOptions } from '../processes.ts';
import { ProcessExit, reasonOf, type DownMessage, type ExitMessage } from '../signals.ts';
import { register, unregister, resolveProc } from '../registry.ts';
import { state as kernel } from '../process.ts';
import { processInfoParent } from './internal.ts';
import { call as genCall, reply, isCall, DEFAULT_CALL_TIMEOUT, type From } from '../call.ts';
import { termSize } from '../term.ts';
import * as logger from '../logger.ts';
import type { Reason } from '../process.ts';

export type { From };
export type ServerRef = Pid | string;

type Maybe<T> = T | Promise<T>;
export type InitResult<S> = { ok: S } | { stop: Reason } | { ignore: true };
export type CallResult<S, R = unknown> = { reply: R; state: S } | { noreply: true; state: S } | { stop: Reason; reply?: R; state: S };
/** `reply?: never`: a handleCast or handleInfo returning a reply is a type error (nobody waits for it). */
export type NoReply<S> = { state: S; reply?: never } | { stop: Reason; state: S };

export interface ServerModule<S, A = unknown> {
  init(arg: A): InitResult<S>;
  handleCall?(req: any, from: From, state: S): Maybe<CallResult<S>>;
  handleCast?(msg: any, state: S): Maybe<NoReply<S>>;
  handleInfo?(msg: any, state: S): Maybe<NoReply<S>>;
  terminate?(reason: Reason, state: S): unknown;
}

export interface StartOptions extends Omit<SpawnOptions, 'link'> {
  /** Register the server under this name. */
  name?: string;
}

export type StartResult = { ok: Pid } | { error: Reason } | { ignore: true };

const TAG = '$gen_server';

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

function isNormal(r: Reason): boolean {
  return r === 'normal' || r === 'shutdown' || (r !== null && typeof r === 'object' && 'shutdown' in (r as object));
}

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
  constructor(readonly mod: ServerModule<S, any>) {}

  get behaviour(): string {
    return 'gen_server';
  }

  measure(): void {
    if (hasHeapLimit()) reportStateBytes(termSize(this.state));
  }

  terminate(reason: Reason): unknown {
    this.stopping = true;
    if (!isNormal(reason)) logger.error(`gen_server ${self()} terminating, reason:`, reason);
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
    return isThenable(t) ? t.then(finish, (e) => { after?.(); throw new ProcessExit(reasonOf(e)); }) : finish();
  }

  /** A callback threw: terminate runs for every exception, exits included
   *  (as OTP's gen_server does), unless the process is already dead (killed
   *  with `kill`, which cannot be trapped) or terminate itself failed. */
  fail(e: unknown): unknown {
    if (this.stopping) throw e;
    if (e instanceof ProcessExit && !kernel.current?.alive) throw e;
    return this.stopWith(reasonOf(e));
  }

  /** Runs a callback; a promise result makes the process busy until it settles. */
  run(cb: () => unknown, then: (r: any) => unknown): unknown {
    let r: unknown;
    try {
      r = cb();
    } catch (e) {
      return this.fail(e);
    }
    if (isThenable(r)) return r.then(then, (e) => this.fail(e));
    return then(r);
  }

  noreply(what: string, r: NoReply<S>): unknown {
    if (!r || typeof r !== 'object' || !('state' in r)) return this.fail(new TypeError(`GenServer: ${what} must return { state } or { stop, state }`));
    this.state = r.state;
    if ('stop' in r) return this.stopWith(r.stop);
    this.measure();
    return undefined;
  }

  callResult(from: From, r: CallResult<S>): unknown {
    if (!r || typeof r !== 'object' || !('state' in r)) return this.fail(new TypeError('GenServer: handleCall must return { reply, state }, { noreply, state } or { stop, state }'));
    this.state = r.state;
    if ('stop' in r) return this.stopWith(r.stop, () => ('reply' in r ? reply(from, r.reply) : undefined));
    if ('reply' in r) reply(from, r.reply);
    this.measure();
    return undefined;
  }

  onMessage(msg: any): unknown {
    const mod = this.mod;
    if (this.cleanup) {
      // A failed start: clean up (any message, the one start sent or
      // another, sets it going), then exit with the init's reason.
      const { reason, run } = this.cleanup;
      this.cleanup = undefined;
      this.stopping = true;
      const end = (): never => {
        throw new ProcessExit(reason);
      };
      return run().then(end, end);
    }
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
      if (msg.type === 'EXIT' && this.parent && (msg as ExitMessage).from === this.parent) return this.stopWith((msg as ExitMessage).reason);
    }
    if (!mod.handleInfo) {
      logger.warning(`gen_server ${self()} received an unexpected message:`, msg);
      return undefined;
    }
    return this.run(() => mod.handleInfo!(msg, this.state), (r: NoReply<S>) => this.noreply('handleInfo', r));
  }
}

function start<S, A>(mod: ServerModule<S, A>, arg: A, opts: StartOptions | undefined, link: boolean): StartResult {
  if (!mod || typeof mod.init !== 'function') throw new TypeError('GenServer.start: the module must have an init function');
  const server = new Server<S>(mod);
  let ignored = false;
  let pid: Pid;
  try {
    pid = spawnHandler(server, () => {
      // As OTP: gen_server:start makes the server its own parent; only
      // startLink's parent (the spawner) stops it with an EXIT.
      server.parent = link ? processInfoParent() : self();
      if (opts?.name !== undefined) register(opts.name, self());
      const r = mod.init(arg);
      if (isThenable(r)) throw new TypeError('GenServer: init must return its result synchronously');
      if (!r || typeof r !== 'object') throw new TypeError('GenServer: init must return { ok: state }, { stop: reason } or { ignore: true }');
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
      if (!('ok' in r)) throw new TypeError('GenServer: init must return { ok: state }, { stop: reason } or { ignore: true }');
      server.state = r.ok;
      server.measure();
    }, { ...opts, link });
  } catch (e) {
    if (ignored) return { ignore: true };
    return { error: reasonOf(e) };
  }
  if (server.cleanup) {
    // As for any failed start, the caller is no longer linked and the name
    // is free; the process lives on only to run its cleanup.
    if (link) unlink(pid);
    if (opts?.name !== undefined) unregister(opts.name);
    send(pid, { $cleanup: TAG });
    return { error: server.cleanup.reason };
  }
  return { ok: pid };
}

export const GenServer = {
  DEFAULT_CALL_TIMEOUT,
  /** Starts a server; init runs before this returns. */
  start<S, A>(mod: ServerModule<S, A>, arg: A, opts?: StartOptions): StartResult {
    return start(mod, arg, opts, false);
  },
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
