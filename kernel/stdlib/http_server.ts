/**
 * HttpServer: HTTP/1.1 over TcpServer, one process per connection, with
 * keep-alive and pipelining. The handler runs in the connection's process:
 *
 *   HttpServer.childSpec('web', { port: 80, handler: (req) => ({ body: 'hi' }) })
 *
 * Bad input gets an answer and a close, never a crash of anything else:
 * a malformed head 400 (http_parse.ts), a head over `maxHeadBytes` 431, a
 * body over `maxBodyBytes` 413, a head that does not arrive within
 * `headTimeoutMs` 408. A connection idle for `keepAliveTimeoutMs` between
 * requests is closed, and one that does not read its response within
 * `sendTimeoutMs`. A handler that throws gets its client a 500, then
 * its process ends as any crashed process does (logged), and with it only
 * that connection.
 */
import * as gen_tcp from '../gen_tcp.ts';
import { Binary, type Socket } from '../term.ts';
import { binaryBytes } from './internal.ts';
import { encodeUtf8 } from '../utf8.ts';
import { monotonicTime } from '../system.ts';
import { TcpServer } from './tcp_server.ts';
import { HttpError, headEnd, parseHead, type RequestHead } from './http_parse.ts';
import type { ChildSpec } from './supervisor.ts';
import type { StartResult } from './gen_server.ts';

export interface Request extends RequestHead {
  /** The target's path, without the query. */
  path: string;
  /** The query string after '?', or ''. */
  query: string;
  body: Binary;
  /** The peer, "ip:port". */
  peer: string;
}

export interface Response {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array | Binary;
}

export type HttpHandler = (req: Request) => Response | Promise<Response>;

export interface HttpServerOptions {
  port: number;
  handler: HttpHandler;
  acceptors?: number;
  maxConnections?: number;
  /** Default 8 KiB. */
  maxHeadBytes?: number;
  /** Default 1 MiB. */
  maxBodyBytes?: number;
  /** Default 10 s. */
  headTimeoutMs?: number;
  /** Default 5 s. */
  keepAliveTimeoutMs?: number;
  /** How long a response may wait for a client that does not read; then
   *  the connection closes. Default 30 s. */
  sendTimeoutMs?: number;
}

export const HttpServer = {
  startLink(opts: HttpServerOptions): StartResult {
    return TcpServer.startLink(tcpOptions(opts));
  },
  childSpec(id: string, opts: HttpServerOptions): ChildSpec {
    return TcpServer.childSpec(id, tcpOptions(opts));
  },
};

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 304: 'Not Modified',
  400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout',
  409: 'Conflict', 413: 'Content Too Large', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 501: 'Not Implemented', 503: 'Service Unavailable', 505: 'HTTP Version Not Supported',
  507: 'Insufficient Storage',
};

function tcpOptions(opts: HttpServerOptions) {
  if (opts === null || typeof opts !== 'object' || typeof opts.handler !== 'function') {
    throw new TypeError('HttpServer: options need a handler: (req) => ({ status, headers, body })');
  }
  const limits = {
    maxHead: opts.maxHeadBytes ?? 8 * 1024,
    maxBody: opts.maxBodyBytes ?? 1 << 20,
    headTimeout: opts.headTimeoutMs ?? 10_000,
    idleTimeout: opts.keepAliveTimeoutMs ?? 5_000,
  };
  return {
    port: opts.port,
    acceptors: opts.acceptors,
    maxConnections: opts.maxConnections,
    socket: { packet: 'raw' as const, active: false, sendTimeout: opts.sendTimeoutMs ?? 30_000 },
    handle: (conn: Socket) => serve(conn, opts.handler, limits),
  };
}

type Limits = { maxHead: number; maxBody: number; headTimeout: number; idleTimeout: number };

/** A body's first buffer, at most (body() grows it as bytes come). */
const FIRST_BODY_BUFFER = 16 * 1024;

/** Bytes received and not yet used. A head is at most maxHead bytes, so it
 *  grows by joining chunks; a body is read into one buffer that grows to its
 *  length. */
class Inbox {
  bytes: Uint8Array = new Uint8Array(0);
  constructor(private readonly conn: Socket) {}
  /** Reads the next chunk, waiting until `deadline` (monotonic ms). */
  private async read(deadline: number): Promise<Uint8Array | 'timeout' | 'closed'> {
    const r = await gen_tcp.recv(this.conn, 0, Math.max(0, deadline - monotonicTime()));
    if ('error' in r) return r.error === 'timeout' ? 'timeout' : 'closed';
    return binaryBytes(r.ok);
  }
  /** Appends the next chunk to `bytes`. */
  async more(deadline: number): Promise<'ok' | 'timeout' | 'closed'> {
    const chunk = await this.read(deadline);
    if (typeof chunk === 'string') return chunk;
    if (this.bytes.length === 0) this.bytes = chunk;
    else {
      const joined = new Uint8Array(this.bytes.length + chunk.length);
      joined.set(this.bytes);
      joined.set(chunk, this.bytes.length);
      this.bytes = joined;
    }
    return 'ok';
  }
  /** Exactly `n` bytes (what is held first, then reads); what comes after
   *  them stays for the next request. The buffer grows, doubling, with the
   *  bytes that come: a Content-Length alone costs nothing, so a peer that
   *  claims a large body and sends none cannot fill the heap. */
  async body(n: number, deadline: number): Promise<Uint8Array | 'timeout' | 'closed'> {
    let have = Math.min(n, this.bytes.length);
    let out = new Uint8Array(Math.min(n, Math.max(have, FIRST_BODY_BUFFER)));
    out.set(this.take(have));
    while (have < n) {
      const chunk = await this.read(deadline);
      if (typeof chunk === 'string') return chunk;
      const use = Math.min(chunk.length, n - have);
      if (have + use > out.length) {
        const grown = new Uint8Array(Math.min(n, Math.max(have + use, out.length * 2)));
        grown.set(out.subarray(0, have));
        out = grown;
      }
      out.set(chunk.subarray(0, use), have);
      have += use;
      if (use < chunk.length) this.bytes = chunk.subarray(use);
    }
    return out;
  }
  take(n: number): Uint8Array {
    const out = this.bytes.subarray(0, n);
    this.bytes = this.bytes.subarray(n);
    return out;
  }
}

async function serve(conn: Socket, handler: HttpHandler, limits: Limits): Promise<void> {
  const peer = gen_tcp.peername(conn);
  const peerText = 'ok' in peer ? `${peer.ok.ip}:${peer.ok.port}` : '';
  const inbox = new Inbox(conn);
  for (;;) {
    // The head: up to its blank line, within the size limit and one
    // deadline for the whole head from its first byte (a client sending a
    // byte a second gets its 408 all the same).
    let deadline = inbox.bytes.length ? monotonicTime() + limits.headTimeout : 0;
    let end = headEnd(inbox.bytes);
    while (end < 0) {
      if (inbox.bytes.length > limits.maxHead) return fail(conn, 431, 'request head too large');
      if (hasBareLf(inbox.bytes)) return fail(conn, 400, 'a line does not end in CRLF');
      const before = inbox.bytes.length;
      const idle = before === 0;
      const got = await inbox.more(idle ? monotonicTime() + limits.idleTimeout : deadline);
      if (got === 'closed' || (got === 'timeout' && idle)) return void gen_tcp.close(conn);
      if (got === 'timeout') return fail(conn, 408, 'request head timed out');
      if (idle) deadline = monotonicTime() + limits.headTimeout;
      end = headEnd(inbox.bytes, before);
    }
    if (end > limits.maxHead) return fail(conn, 431, 'request head too large');
    let head: RequestHead;
    try {
      head = parseHead(inbox.take(end));
      inbox.take(4);
    } catch (e) {
      if (e instanceof HttpError) return fail(conn, e.status, e.message);
      throw e;
    }
    if (head.contentLength > limits.maxBody) return fail(conn, 413, `body over ${limits.maxBody} bytes`);
    const bytes = await inbox.body(head.contentLength, monotonicTime() + limits.headTimeout);
    if (bytes === 'closed') return void gen_tcp.close(conn);
    if (bytes === 'timeout') return fail(conn, 408, 'request body timed out');
    const q = head.target.indexOf('?');
    const req: Request = {
      ...head,
      path: q < 0 ? head.target : head.target.slice(0, q),
      query: q < 0 ? '' : head.target.slice(q + 1),
      body: Binary.adopt(bytes),
      peer: peerText,
    };
    let res: Response;
    try {
      res = await handler(req);
    } catch (e) {
      await respond(conn, req, { status: 500, body: 'internal server error\n' }, false);
      gen_tcp.close(conn);
      throw e;
    }
    const sent = await respond(conn, req, res, head.keepAlive);
    if (!sent || !head.keepAlive) return void gen_tcp.close(conn);
  }
}

/** A LF not after a CR: the head can never end in CRLFCRLF, so say so now. */
function hasBareLf(b: Uint8Array): boolean {
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) if (i === 0 || b[i - 1] !== 13) return true;
  return false;
}

/** Answers a request that cannot be served, and closes. */
async function fail(conn: Socket, status: number, why: string): Promise<void> {
  await respond(conn, null, { status, body: `${REASONS[status] ?? 'Error'}: ${why}\n` }, false);
  gen_tcp.close(conn);
}

async function respond(conn: Socket, req: Request | null, res: Response, keepAlive: boolean): Promise<boolean> {
  if (res === null || typeof res !== 'object') throw new TypeError(`HttpServer: a handler must return { status, headers, body }, got ${String(res)}`);
  const status = res.status ?? 200;
  if (!Number.isInteger(status) || status < 100 || status > 599) throw new RangeError(`HttpServer: status ${String(status)} is not an HTTP status`);
  const body = res.body === undefined ? new Uint8Array(0) : res.body instanceof Binary ? binaryBytes(res.body) : typeof res.body === 'string' ? encodeUtf8(res.body) : res.body;
  const noBody = req?.method === 'HEAD' || status === 204 || status === 304;
  let head = `HTTP/1.1 ${status} ${REASONS[status] ?? 'Status'}\r\ndate: ${httpDate()}\r\n`;
  const given = res.headers ?? {};
  for (const name of Object.keys(given)) {
    const value = String(given[name]);
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name) || /[\r\n]/.test(value)) throw new TypeError(`HttpServer: header ${JSON.stringify(name)} cannot be sent as given`);
    const lower = name.toLowerCase();
    if (lower === 'content-length' || lower === 'connection' || lower === 'date') continue;
    head += `${name}: ${value}\r\n`;
  }
  if (!('content-type' in lowerKeys(given)) && body.length > 0) head += 'content-type: text/plain; charset=utf-8\r\n';
  if (status !== 204 && status !== 304) head += `content-length: ${body.length}\r\n`;
  head += !keepAlive ? 'connection: close\r\n\r\n' : req?.version === '1.0' ? 'connection: keep-alive\r\n\r\n' : '\r\n';
  const headBytes = encodeUtf8(head);
  const out = new Uint8Array(headBytes.length + (noBody ? 0 : body.length));
  out.set(headBytes);
  if (!noBody) out.set(body, headBytes.length);
  return (await gen_tcp.send(conn, out)) === 'ok';
}

// The Date header changes once a second: format it once a second.
let dateSecond = -1;
let dateText = '';
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

function lowerKeys(h: Record<string, string>): Record<string, true> {
  const out: Record<string, true> = {};
  for (const k of Object.keys(h)) out[k.toLowerCase()] = true;
  return out;
}
