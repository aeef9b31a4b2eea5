/**
 * sys, as OTP's for a gen_server: getState, replaceState, getStatus, statistics and trace,
 * answered by the server between two callbacks (a system message, which
 * neither reaches the callbacks nor cancels a pending `timeout`).
 *
 * replaceState's function is code, which cannot travel in a message: it is
 * left in a table under a fresh Ref while the caller waits (as startChild
 * hands over a child spec). A state that cannot be copied (a supervisor's,
 * which holds start functions) cannot be read this way: the call exits the
 * caller with `{ state_not_copyable: ... }`, the server untouched.
 */
import { Ref, Pid } from '../term.ts';
import { ProcessExit } from '../signals.ts';
import { copyTerm, call, reply, reasonOf, type From } from './internal.ts';
import { self, processInfo } from '../process_api.ts';
import type { Reason } from '../reasons.ts';
import * as logger from '../logger.ts';

export const SYS_TAG = '$system';

/** What formatStatus sees and returns (OTP's format_status/1 map). */
export interface Status {
  state: unknown;
  reason?: Reason;
}

/** What sys.statistics counts while it is on. */
export interface Statistics {
  /** Wall-clock ms when statistics were turned on. */
  startTime: number;
  currentTime: number;
  /** The server's reductions since then. */
  reductions: number;
  /** Events handled: calls, casts, other messages, timeouts. */
  messagesIn: number;
  /** Replies sent by callback results. */
  messagesOut: number;
}

export interface SystemTarget {
  state: unknown;
  /** Set by sys.trace: each event is logged (notice) as it is handled. */
  traced?: boolean;
  /** Set by sys.statistics(server, true); the behaviour counts into it. */
  stats?: { startTime: number; reductions: number; messagesIn: number; messagesOut: number };
  readonly behaviour: string;
  readonly mod: { formatStatus?(status: Status): Status };
}

// replaceState's function, handed over by its Ref (code cannot travel in a
// message), weakly as supervisor.ts's specs: a caller killed with its call
// still queued at a server that then dies runs neither the take nor its
// finally.
const handed = new WeakMap<Ref, (state: any) => unknown>();

/** The server's side: answers one system request. */
export function handleSystem(target: SystemTarget, req: { op: string; key?: Ref }, from: From): void {
  const answer = (value: unknown): void => {
    try {
      copyTerm(value, 'sys');
    } catch (e) {
      return reply(from, { $sysError: { state_not_copyable: String(e instanceof Error ? e.message : e) } });
    }
    reply(from, value);
  };
  switch (req.op) {
    case 'get_state':
      return answer({ ok: target.state });
    case 'get_status':
      return answer({ ok: { pid: self(), behaviour: target.behaviour, ...formatStatus(target, { state: target.state }) } });
    case 'statistics': {
      const flag = (req as { flag?: unknown }).flag;
      if (flag === 'get') {
        const st = target.stats;
        if (!st) return reply(from, { ok: 'no_statistics' });
        const stats: Statistics = { startTime: st.startTime, currentTime: Date.now(), reductions: ownReductions() - st.reductions, messagesIn: st.messagesIn, messagesOut: st.messagesOut };
        return reply(from, { ok: { ok: stats } });
      }
      target.stats = flag === true ? { startTime: Date.now(), reductions: ownReductions(), messagesIn: 0, messagesOut: 0 } : undefined;
      return reply(from, { ok: 'ok' });
    }
    case 'trace':
      target.traced = (req as { on?: boolean }).on === true || undefined;
      return reply(from, { ok: 'ok' });
    case 'replace_state': {
      const fn = req.key ? handed.get(req.key) : undefined;
      // Taken as it is read, as supervisor.ts's specs: a caller killed
      // while it waits never runs its finally.
      if (req.key) handed.delete(req.key);
      if (!fn) return reply(from, { $sysError: 'no state function' });
      let next: unknown;
      try {
        next = fn(target.state);
      } catch (e) {
        // As OTP: the state is kept, and the caller exits with callback_failed.
        return reply(from, { $sysError: { callback_failed: reasonOf(e) } });
      }
      target.state = next;
      return answer({ ok: next });
    }
  }
  reply(from, { $sysError: { unknown_system_request: req.op } });
}

function ownReductions(): number {
  return processInfo(self())!.reductions;
}

/** One line of sys.trace, as OTP's `*DBG*` lines. */
export function traceLine(what: string, ...args: unknown[]): void {
  logger.notice(`*DBG* ${what}`, ...args);
}

/** The module's formatStatus applied, or the status as it is; a
 *  formatStatus that throws leaves it as it is. */
export function formatStatus(target: SystemTarget, status: Status): Status {
  const f = target.mod.formatStatus;
  if (!f) return status;
  try {
    return f.call(target.mod, status);
  } catch {
    return status;
  }
}

async function sysCall(server: Pid | string, req: unknown, timeout: number): Promise<unknown> {
  const r = (await call(server, SYS_TAG, req, timeout)) as { ok?: unknown; $sysError?: Reason };
  if ('$sysError' in r) throw new ProcessExit(r.$sysError as Reason);
  return r.ok;
}

/** The server's state (a copy). */
export function getState<S = unknown>(server: Pid | string, timeout = 5000): Promise<S> {
  return sysCall(server, { op: 'get_state' }, timeout) as Promise<S>;
}

/** Sets the server's state to `fn(state)` and gives it; if fn throws, the
 *  state is kept and the caller exits with `{ callback_failed: reason }`. */
export async function replaceState<S = unknown>(server: Pid | string, fn: (state: S) => S, timeout = 5000): Promise<S> {
  if (typeof fn !== 'function') throw new TypeError('sys.replaceState: fn must be a function (state) => state');
  const key = new Ref();
  handed.set(key, fn);
  try {
    return (await sysCall(server, { op: 'replace_state', key }, timeout)) as S;
  } finally {
    handed.delete(key);
  }
}

/** The server's pid, behaviour and state, formatted by its formatStatus. */
export function getStatus(server: Pid | string, timeout = 5000): Promise<{ pid: Pid; behaviour: string; state: unknown }> {
  return sysCall(server, { op: 'get_status' }, timeout) as Promise<{ pid: Pid; behaviour: string; state: unknown }>;
}

/** sys:statistics: true starts counting (anew), false stops, 'get' gives
 *  `{ ok: Statistics }` or 'no_statistics' if not counting. */
export function statistics(server: Pid | string, flag: true | false, timeout?: number): Promise<'ok'>;
export function statistics(server: Pid | string, flag: 'get', timeout?: number): Promise<{ ok: Statistics } | 'no_statistics'>;
export function statistics(server: Pid | string, flag: boolean | 'get', timeout = 5000): Promise<unknown> {
  if (flag !== true && flag !== false && flag !== 'get') throw new TypeError(`sys.statistics: flag must be true, false or 'get', got ${String(flag)}`);
  return sysCall(server, { op: 'statistics', flag }, timeout);
}

/** Turns the logging of every event the server handles on or off. */
export async function trace(server: Pid | string, on: boolean, timeout = 5000): Promise<void> {
  await sysCall(server, { op: 'trace', on: on === true }, timeout);
}
