/**
 * The generic call protocol (OTP's gen:call), under every behaviour:
 * the caller monitors the server, sends a tagged request
 * `{ $call: tag, from: { pid, ref }, req }`, and waits for
 * `{ $reply: ref, value }` or the server's DOWN. If neither comes within the
 * timeout (default 5000 ms), the caller exits with
 * `{ timeout: { call, ms } }` (a reply that comes later is dropped); if the server dies, with `{ exit: reason, call }`
 * (`exit` is `noproc` if there is no such process, `calling_self` if the
 * caller is the server itself: both at once, as gen:call does).
 */
import { Pid, Ref } from './term.ts';
import { send, receive, monitor, demonitor, TIMEOUT, self } from './process_api.ts';
import { ProcessExit, type DownMessage } from './signals.ts';
import { resolveProc } from './registry.ts';
import { lookup, type Proc } from './process.ts';

export const DEFAULT_CALL_TIMEOUT = 5000;

/** Who asked: pass to `reply` to answer later. */
export interface From {
  pid: Pid;
  ref: Ref;
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
  const ref = monitor(p.pid);
  try {
    send(p.pid, { $call: tag, from: { pid: self(), ref }, req } satisfies CallRequest);
  } catch (e) {
    demonitor(ref, { flush: true }); // a request that cannot be copied leaves no monitor behind
    throw e;
  }
  const m = await receive([{ $reply: ref }, { type: 'DOWN', ref }], { after: timeout });
  if (m === TIMEOUT) {
    demonitor(ref, { flush: true });
    abandon(ref);
    throw new ProcessExit({ timeout: { call: desc, ms: timeout } });
  }
  if ((m as DownMessage).type === 'DOWN') throw new ProcessExit({ exit: (m as DownMessage).reason, call: desc });
  demonitor(ref, { flush: true });
  return (m as { value: unknown }).value;
}

// Calls given up on (timed out), by caller: a late reply to one is dropped,
// as OTP 24+ drops it (replies go to an alias the caller deactivates), so
// it never lingers in the caller's mailbox. Gone with the caller; a server
// that never replies would let the set grow, so it keeps the latest only.
const abandoned = new WeakMap<Proc, Set<number>>();
const ABANDONED_KEPT = 256;
let anyAbandoned = false; // until a call times out, replies skip the lookup

export function abandon(ref: Ref): void {
  const me = lookup(self());
  if (!me) return;
  anyAbandoned = true;
  let refs = abandoned.get(me);
  if (!refs) abandoned.set(me, (refs = new Set()));
  refs.add(ref.id);
  if (refs.size > ABANDONED_KEPT) refs.delete(refs.values().next().value!);
}

/** Answers a call. */
export function reply(from: From, value: unknown): void {
  if (!from || !(from.pid instanceof Pid) || !(from.ref instanceof Ref)) throw new TypeError('reply: expected the From a handler was given');
  if (anyAbandoned) {
    const caller = lookup(from.pid);
    if (caller && abandoned.get(caller)?.delete(from.ref.id)) return;
  }
  send(from.pid, { $reply: from.ref, value });
}
