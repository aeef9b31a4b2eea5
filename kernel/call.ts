/**
 * The generic call protocol (OTP's gen:call), under every behaviour:
 * the caller monitors the server, the monitor's ref being also an alias of
 * the caller for as long as the monitor lasts (OTP 24's `{alias,
 * demonitor}`), sends a tagged request
 * `{ $call: tag, from: { pid, ref, alias: true }, req }`, and waits for
 * `{ $reply: ref, value }`, sent to the alias, or the server's DOWN. If
 * neither comes within the timeout (default 5000 ms), the caller removes
 * the monitor, which ends the alias, so a reply that comes later is dropped
 * at its send, takes a reply that came just in time, or else exits with
 * `{ timeout: { call, ms } }`; if the server dies, with `{ exit: reason, call }`
 * (`exit` is `noproc` if there is no such process, `calling_self` if the
 * caller is the server itself: both at once, as gen:call does).
 */
import { Pid, Ref } from './term.ts';
import { send, receive, monitor, demonitor, TIMEOUT, self } from './process_api.ts';
import { ProcessExit, type DownMessage } from './signals.ts';
import { resolveProc } from './registry.ts';

export const DEFAULT_CALL_TIMEOUT = 5000;

/** A call's monitor is its reply alias while it lasts (one object for all calls). */
const ALIAS_WHILE_MONITORED = { alias: 'demonitor' } as const;

/** Who asked: pass to `reply` to answer later. */
export interface From {
  pid: Pid;
  ref: Ref;
  /** The reply goes to `ref`, an alias of the caller (OTP's
   *  `[alias|Mref]` tag), not to `pid`. */
  alias?: true;
}

export interface CallRequest {
  $call: string;
  from: From;
  req: unknown;
}

export function isCall(m: unknown, tag: string): m is CallRequest {
  return m !== null && typeof m === 'object' && (m as CallRequest).$call === tag && (m as CallRequest).from !== undefined;
}

export async function call(dest: Pid | string, tag: string, req: unknown, timeout: number = DEFAULT_CALL_TIMEOUT): Promise<unknown> {
  if (timeout !== Infinity && (typeof timeout !== 'number' || !(timeout >= 0))) {
    throw new TypeError(`call: timeout must be a number >= 0 or Infinity, got ${String(timeout)}`);
  }
  const desc = String(dest);
  const p = resolveProc(dest, 'call');
  if (!p) throw new ProcessExit({ exit: 'noproc', call: desc });
  // As gen:call: calling oneself could only time out, so it exits at once.
  if (p.pid === self()) throw new ProcessExit({ exit: 'calling_self', call: desc });
  const ref = monitor(p.pid, ALIAS_WHILE_MONITORED);
  try {
    send(p.pid, { $call: tag, from: { pid: self(), ref, alias: true }, req } satisfies CallRequest);
  } catch (e) {
    demonitor(ref, { flush: true }); // a request that cannot be copied leaves no monitor behind
    throw e;
  }
  const m = await receive([{ $reply: ref }, { type: 'DOWN', ref }], { after: timeout });
  if (m === TIMEOUT) {
    demonitor(ref, { flush: true }); // and the alias: a later reply is dropped
    const late = await receive({ $reply: ref }, { after: 0 });
    if (late !== TIMEOUT) return (late as { value: unknown }).value;
    throw new ProcessExit({ timeout: { call: desc, ms: timeout } });
  }
  if ((m as DownMessage).type === 'DOWN') throw new ProcessExit({ exit: (m as DownMessage).reason, call: desc });
  demonitor(ref, { flush: true });
  return (m as { value: unknown }).value;
}

/** Answers a call: to the caller's alias, so a caller that gave up (timed
 *  out) never gets it. */
export function reply(from: From, value: unknown): void {
  if (!from || !(from.pid instanceof Pid) || !(from.ref instanceof Ref)) throw new TypeError('reply: expected the From a handler was given');
  send(from.alias === true ? from.ref : from.pid, { $reply: from.ref, value });
}
