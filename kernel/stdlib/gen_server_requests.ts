/**
 * gen_server's asynchronous calls: sendRequest sends the call that `call`
 * would and returns at once; the answer is taken later with waitResponse
 * (wait, keep the request on timeout), receiveResponse (wait, abandon it on
 * timeout) or checkResponse (is this received message the answer?). Each
 * also takes a request-id collection (reqIdsNew, reqIdsAdd, or sendRequest
 * with a label and a collection), answered in whatever order replies come,
 * with the label of the one answered. Collections are values, as in OTP:
 * every change gives a new one.
 *
 * abcast and multiCall reach the name on this node (until nodes talk).
 *
 * Responses: `{ reply: value }`, or `{ error: { reason, server } }` if the
 * server died first (reason noproc if there was none). A late reply to a
 * request receiveResponse gave up on is dropped when the server sends it,
 * as a late call reply is (call.ts): the request's monitor is also an alias
 * of the caller, which giving the request up ends. waitResponse keeps the
 * request, so its reply still comes.
 */
import { Pid, Ref } from '../term.ts';
import { send, receive, monitor, demonitor, self, TIMEOUT } from '../process_api.ts';
import type { DownMessage } from '../signals.ts';
import { monotonicTime } from '../system.ts';
import { resolveProc } from './internal.ts';
import type { Reason } from '../reasons.ts';

type ServerRef = Pid | string;

/** This node's name, as Erlang names a node that is not distributed. */
const NODE = 'nonode@nohost';

export interface RequestId {
  readonly ref: Ref;
  readonly server: ServerRef;
}

export type Response = { reply: unknown } | { error: { reason: Reason; server: ServerRef } };

/** ms, Infinity, or an absolute monotonic time `{ abs: ms }`. */
export type ResponseTimeout = number | { abs: number };

export interface Answered<L> {
  response: Response;
  label: L;
  /** The collection after the answer (without it if asked to delete). */
  reqIds: RequestIds<L>;
}

/** A collection of request ids, each with a label. Immutable. */
export class RequestIds<L = unknown> {
  constructor(readonly entries: ReadonlyMap<number, { id: RequestId; label: L }> = new Map()) {}
  get size(): number {
    return this.entries.size;
  }
  with(id: RequestId, label: L): RequestIds<L> {
    if (this.entries.has(id.ref.id)) throw new TypeError('GenServer.reqIdsAdd: the request id is already in the collection');
    return new RequestIds(new Map(this.entries).set(id.ref.id, { id, label }));
  }
  without(ref: Ref): RequestIds<L> {
    const m = new Map(this.entries);
    m.delete(ref.id);
    return new RequestIds(m);
  }
}

function isId(v: unknown): v is RequestId {
  return v !== null && typeof v === 'object' && (v as RequestId).ref instanceof Ref && !(v instanceof RequestIds);
}

function afterMs(t: ResponseTimeout, what: string): number {
  if (typeof t === 'object' && t !== null && typeof t.abs === 'number') return Math.max(0, t.abs - monotonicTime());
  if (t === Infinity || (typeof t === 'number' && t >= 0)) return t;
  throw new TypeError(`${what}: timeout must be a number >= 0, Infinity or { abs: ms }, got ${String(t)}`);
}

type Reply = { $reply: Ref; value: unknown };

/** Gives a request up: no DOWN for it, and with the monitor its alias
 *  goes, so its reply, if it ever comes, is dropped at the server's send. */
function drop(id: RequestId): void {
  demonitor(id.ref, { flush: true });
}

/** The response a message carries for a ref, or null if it carries none. */
function responseOf(m: unknown, ids: (ref: Ref) => RequestId | undefined): { id: RequestId; response: Response } | null {
  if (m === null || typeof m !== 'object') return null;
  const r = m as Partial<Reply & DownMessage>;
  if (r.$reply instanceof Ref) {
    const id = ids(r.$reply);
    if (!id) return null;
    demonitor(id.ref, { flush: true });
    return { id, response: { reply: r.value } };
  }
  if (r.type === 'DOWN' && r.ref instanceof Ref) {
    const id = ids(r.ref);
    if (!id) return null;
    return { id, response: { error: { reason: r.reason as Reason, server: id.server } } };
  }
  return null;
}

export function makeRequests(tag: string) {
  function sendRequest(server: ServerRef, req: unknown): RequestId;
  function sendRequest<L>(server: ServerRef, req: unknown, label: L, reqIds: RequestIds<L>): RequestIds<L>;
  function sendRequest<L>(server: ServerRef, req: unknown, ...rest: [L, RequestIds<L>] | []): RequestId | RequestIds<L> {
    const p = resolveProc(server, 'GenServer.sendRequest');
    const ref = monitor(server, { alias: 'demonitor' }); // no such process: DOWN noproc, the error response
    try {
      if (p) send(p.pid, { $call: tag, from: { pid: self(), ref, alias: true }, req });
    } catch (e) {
      demonitor(ref, { flush: true }); // a request that cannot be copied leaves no monitor behind
      throw e;
    }
    const id: RequestId = { ref, server };
    if (rest.length === 0) return id;
    if (!(rest[1] instanceof RequestIds)) throw new TypeError('GenServer.sendRequest: expected a request-id collection (GenServer.reqIdsNew())');
    return rest[1].with(id, rest[0]);
  }

  async function wait(what: string, ids: RequestId | RequestIds, timeout: ResponseTimeout, del: boolean, giveUp: boolean): Promise<unknown> {
    const ms = afterMs(timeout, what);
    if (isId(ids)) {
      const m = await receive([{ $reply: ids.ref }, { type: 'DOWN', ref: ids.ref }], { after: ms });
      if (m === TIMEOUT) {
        if (giveUp) drop(ids);
        return 'timeout';
      }
      return responseOf(m, () => ids)!.response;
    }
    if (!(ids instanceof RequestIds)) throw new TypeError(`${what}: expected a request id or a request-id collection`);
    if (ids.size === 0) return 'no_request';
    const has = (r: unknown) => r instanceof Ref && ids.entries.has(r.id);
    const m = await receive([{ $reply: has }, { type: 'DOWN', ref: has }], { after: ms });
    if (m === TIMEOUT) {
      if (giveUp) for (const { id } of ids.entries.values()) drop(id);
      return 'timeout';
    }
    return answered(ids, m, del);
  }

  function answered<L>(ids: RequestIds<L>, m: unknown, del: boolean): Answered<L> | 'no_reply' {
    const got = responseOf(m, (ref) => ids.entries.get(ref.id)?.id);
    if (!got) return 'no_reply';
    const label = ids.entries.get(got.id.ref.id)!.label;
    return { response: got.response, label, reqIds: del ? ids.without(got.id.ref) : ids };
  }

  function waitResponse(id: RequestId, timeout?: ResponseTimeout): Promise<Response | 'timeout'>;
  function waitResponse<L>(ids: RequestIds<L>, timeout: ResponseTimeout, del: boolean): Promise<Answered<L> | 'no_request' | 'timeout'>;
  function waitResponse(ids: RequestId | RequestIds, timeout: ResponseTimeout = Infinity, del = false): Promise<unknown> {
    return wait('GenServer.waitResponse', ids, timeout, del, false);
  }

  function receiveResponse(id: RequestId, timeout?: ResponseTimeout): Promise<Response | 'timeout'>;
  function receiveResponse<L>(ids: RequestIds<L>, timeout: ResponseTimeout, del: boolean): Promise<Answered<L> | 'no_request' | 'timeout'>;
  function receiveResponse(ids: RequestId | RequestIds, timeout: ResponseTimeout = Infinity, del = false): Promise<unknown> {
    return wait('GenServer.receiveResponse', ids, timeout, del, true);
  }

  function checkResponse(msg: unknown, id: RequestId): Response | 'no_reply';
  function checkResponse<L>(msg: unknown, ids: RequestIds<L>, del: boolean): Answered<L> | 'no_reply' | 'no_request';
  function checkResponse(msg: unknown, ids: RequestId | RequestIds, del = false): unknown {
    if (isId(ids)) return responseOf(msg, (ref) => (ref.id === ids.ref.id ? ids : undefined))?.response ?? 'no_reply';
    if (!(ids instanceof RequestIds)) throw new TypeError('GenServer.checkResponse: expected a request id or a request-id collection');
    if (ids.size === 0) return 'no_request';
    return answered(ids, msg, del);
  }

  /** Casts to the server registered as `name` on every node (this one,
   *  until nodes talk); 'abcast', as OTP. */
  function abcast(name: string, msg: unknown): 'abcast' {
    if (typeof name !== 'string') throw new TypeError('GenServer.abcast: name must be a registered name');
    const p = resolveProc(name, 'GenServer.abcast');
    if (p) send(p.pid, { $cast: tag, msg });
    return 'abcast';
  }

  /** Calls the server registered as `name` on every node (this one, named
   *  as a node that is not distributed is: 'nonode@nohost'); replies by
   *  node, and the nodes with no such server or where it died. */
  async function multiCall(name: string, req: unknown, timeout: number = Infinity): Promise<{ replies: [string, unknown][]; badNodes: string[] }> {
    if (typeof name !== 'string') throw new TypeError('GenServer.multiCall: name must be a registered name');
    const id = sendRequest(name, req);
    const r = await receiveResponse(id, timeout);
    return typeof r === 'object' && 'reply' in r ? { replies: [[NODE, r.reply]], badNodes: [] } : { replies: [], badNodes: [NODE] };
  }

  return {
    abcast,
    multiCall,
    sendRequest,
    waitResponse,
    receiveResponse,
    checkResponse,
    reqIdsNew: <L = unknown>(): RequestIds<L> => new RequestIds<L>(),
    reqIdsAdd: <L>(id: RequestId, label: L, ids: RequestIds<L>): RequestIds<L> => ids.with(id, label),
    reqIdsSize: (ids: RequestIds): number => ids.size,
    reqIdsToList: <L>(ids: RequestIds<L>): [RequestId, L][] => [...ids.entries.values()].map((e) => [e.id, e.label]),
  };
}
