/**
 * erlang:spawn_request/2 and spawn_request_abandon/1: a spawn that answers
 * with a message. `spawnRequest(body, opts)` returns a request id (a Ref)
 * and the caller gets `{ type: 'spawn_reply', ref, ok: pid }` (or
 * `{ ..., error: 'system_limit' }` if the heap had no room for the process:
 * the kernel has no process count limit), `type` being `replyTag` if given.
 * Bad options throw at the call, as OTP's badarg. With
 * `monitor`, the monitor's ref is the request id, and its DOWN comes after
 * the reply; with `link`, the link is in place before the reply.
 *
 * On one node the spawn completes inside the call, as a local spawn request
 * does in OTP: the reply is queued before `spawnRequest` returns, so no
 * request is ever outstanding and `spawnRequestAbandon` is false.
 */
import { me, procs } from './process.ts';
import { Ref, type Pid } from './term.ts';
import { deliver } from './mailbox.ts';
import { monitor as monitorProc } from './signals.ts';
import { addAlias } from './alias.ts';
import { spawn, type SpawnOptions, type MonitorOptions } from './process_api.ts';
import { markReceive, lastMessage } from './receive.ts';
import { isOutOfMemory } from './reasons.ts';

export interface SpawnRequestOptions extends SpawnOptions {
  /** Monitor the new process; the monitor's ref is the request id. An
   *  object gives the monitor's options (`{ alias }`, as `monitor`'s). */
  monitor?: boolean | MonitorOptions;
  /** The reply's `type` (OTP's reply_tag); default 'spawn_reply'. */
  replyTag?: string;
  /** Which replies to send (OTP's reply option): 'yes' (the default),
   *  'no', 'error_only' or 'success_only'. */
  reply?: 'yes' | 'no' | 'error_only' | 'success_only';
}

/** The message a spawn request answers with. */
export type SpawnReply = { type: string; ref: Ref; ok: Pid } | { type: string; ref: Ref; error: unknown };

const REPLIES = ['yes', 'no', 'error_only', 'success_only'];
const ALIASES = [undefined, 'explicit_unalias', 'demonitor', 'reply_demonitor'];

export function spawnRequest(body: () => unknown, opts?: SpawnRequestOptions): Ref {
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) throw new TypeError('spawnRequest: options must be an object');
  const p = me('spawnRequest');
  const { monitor, replyTag = 'spawn_reply', reply = 'yes', ...spawnOpts } = opts ?? {};
  if (typeof replyTag !== 'string') throw new TypeError(`spawnRequest: replyTag must be a string, got ${String(replyTag)}`);
  if (!REPLIES.includes(reply)) throw new TypeError(`spawnRequest: reply must be one of ${REPLIES.join(', ')}, got ${String(reply)}`);
  if (monitor !== undefined && typeof monitor !== 'boolean' && (monitor === null || typeof monitor !== 'object' || !ALIASES.includes(monitor.alias))) {
    throw new TypeError("spawnRequest: monitor must be a boolean or { alias: 'explicit_unalias' | 'demonitor' | 'reply_demonitor' }");
  }
  const last = lastMessage(p);
  const ref = new Ref();
  let pid: Pid;
  try {
    pid = spawn(body, spawnOpts);
  } catch (e) {
    // A bad option throws above or in spawn's checks (OTP's badarg); past
    // them, what fails is the process itself, the heap with no room for
    // it: an error reply, as OTP's for a spawn the system cannot make.
    if (!isOutOfMemory(e)) throw e;
    if (reply === 'yes' || reply === 'error_only') deliver(p, { type: replyTag, ref, error: 'system_limit' } satisfies SpawnReply);
    markReceive(p, ref, last);
    return ref;
  }
  if (monitor) {
    monitorProc(p, procs.get(pid.id), pid, null, ref);
    const mode = typeof monitor === 'object' ? monitor.alias : undefined;
    if (mode) addAlias(p, ref, mode);
  }
  if (reply === 'yes' || reply === 'success_only') deliver(p, { type: replyTag, ref, ok: pid } satisfies SpawnReply);
  markReceive(p, ref, last);
  return ref;
}

/** erlang:spawn_request_abandon/1: true if the request was still
 *  outstanding and is now abandoned. A local request completes inside
 *  spawnRequest, so this is false, as OTP's is for one. */
export function spawnRequestAbandon(ref: Ref): boolean {
  if (!(ref instanceof Ref)) throw new TypeError(`spawnRequestAbandon: expected a request id (a ref), got ${String(ref)}`);
  me('spawnRequestAbandon');
  return false;
}
