/**
 * TCP sockets with gen_tcp's semantics (see sockets.ts for the table).
 *
 *   const ls = await gen_tcp.listen(8080, { packet: 'line' });
 *   if ('error' in ls) ...
 *   const conn = await gen_tcp.accept(ls.ok);
 *
 * Results are OTP's: `{ ok: value }` or `{ error: reason }` (a POSIX name
 * such as 'econnrefused', or 'closed', 'timeout', 'not_owner', 'emsgsize').
 * Bad arguments throw a TypeError or RangeError in the caller.
 *
 * Modes, per socket (`active`, as gen_tcp):
 *   false      passive: data waits in the host until `recv` asks, so a slow
 *              reader slows the sender (the TCP window closes);
 *   true       every packet is sent to the owner as `{ type: 'tcp', socket, data }`;
 *   'once'     one packet, then passive;
 *   n          n packets, then passive with `{ type: 'tcp_passive', socket }`.
 * The peer closing gives `{ type: 'tcp_closed', socket }` (or recv's
 * `{ error: 'closed' }`), a failure `{ type: 'tcp_error', socket, reason }`
 * then tcp_closed. Received data is always a `Binary`: shared, not copied,
 * when it travels on to another process.
 */
import { platform } from './platform.ts';
import { Binary, Socket, binaryBytes, type Pid } from './term.ts';
import { Framer, PACKETS, frame, type Packet } from './framing.ts';
import { encodeUtf8 } from './utf8.ts';
import { TIMEOUT, sleep } from './process_api.ts';
import { lookup, me, type Proc } from './process.ts';
import {
  ACTIVE_ALWAYS, closeSocket, drain, find, flow, handOut, late, register, takeNow, wait, waiter,
  type OpenOptions, type SockState,
} from './sockets.ts';

export type Active = boolean | 'once' | number;

export interface SocketOptions {
  /** Default false for connections made by connect and accept (OTP's default
   *  is true; passive is the safe one: no mailbox flood from a fast peer). */
  active?: Active;
  /** Framing (framing.ts); default 'raw'. */
  packet?: Packet;
  /** Longest packet accepted, in bytes (default 1 MiB): a longer one fails
   *  the socket with 'emsgsize'. */
  maxPacket?: number;
  /** Close the socket once the peer's close was reported (default true). */
  exitOnClose?: boolean;
  /** Ms a send may wait for a peer that does not read (default Infinity);
   *  past it the socket closes and the send gives { error: 'timeout' }. */
  sendTimeout?: number;
}

export interface ListenOptions extends SocketOptions {
  /** Connections queued for accept before more are refused (default 128).
   *  Accepted connections inherit the listener's socket options. */
  backlog?: number;
}

export type Result<T> = { ok: T } | { error: string };

/** What `send` takes: bytes, a Binary, or a string (sent as UTF-8). */
export type Data = Uint8Array | Binary | string;

const DEFAULT_MAX_PACKET = 1 << 20;

/** Listens on `port` (0: any free port; `port(socket)` tells which). */
export function listen(port: number, opts: ListenOptions = {}): Promise<Result<Socket>> {
  checkPort(port, 0, 'listen');
  const o = options(opts, 'listen');
  const p = me('listen');
  const id = platform().net.listen(port, o.backlog);
  return opened(register(id, 'listener', p, o));
}

/** Connects to `ip:port` (an IPv4 literal). */
export function connect(ip: string, port: number, opts: SocketOptions = {}, timeout = Infinity): Promise<Result<Socket>> {
  if (typeof ip !== 'string') throw new TypeError(`connect: the address must be an IPv4 literal string, got ${String(ip)}`);
  checkPort(port, 1, 'connect');
  checkTimeout(timeout, 'connect');
  const o = options(opts, 'connect');
  const p = me('connect');
  const s = register(platform().net.connect(ip, port), 'conn', p, o);
  s.peer = `${ip}:${port}`;
  return opened(s, timeout);
}

async function opened(s: SockState, timeout = Infinity): Promise<Result<Socket>> {
  const w = (s.opening = waiter(s.owner));
  let r = await wait(w, timeout);
  if (r === TIMEOUT) {
    s.opening = null;
    r = await late(w);
    if (r === TIMEOUT) {
      closeSocket(s, 'timeout');
      return { error: 'timeout' };
    }
  }
  return r as Result<Socket>;
}

/** Waits for a connection on a listening socket; the caller owns it. */
export function accept(ls: Socket, timeout = Infinity): Promise<Result<Socket>> {
  checkTimeout(timeout, 'accept');
  const p = me('accept');
  const s = socketOf(ls, 'accept');
  if (!s) return answered({ error: 'closed' });
  if (s.kind !== 'listener') return answered({ error: 'einval' });
  return accepting(s, p, timeout);
}

async function accepting(s: SockState, p: Proc, timeout: number): Promise<Result<Socket>> {
  const w = waiter(p);
  s.acceptors.push(w);
  handOut(s);
  let r = await wait(w, timeout);
  if (r === TIMEOUT) {
    s.acceptors = s.acceptors.filter((x) => x !== w);
    r = await late(w);
    if (r === TIMEOUT) return { error: 'timeout' };
  }
  return r as Result<Socket>;
}

/** Sends one packet (framed as the socket's `packet` says). Resolves once the
 *  host has taken every byte: a slow peer makes the sender wait. */
export function send(sock: Socket, data: Data): Promise<'ok' | { error: string }> {
  const bytes = bytesOf(data, 'send');
  const p = me('send');
  const s = socketOf(sock, 'send');
  if (!s || s.kind !== 'conn') return answered({ error: s ? 'einval' : 'closed' });
  if (s.phase === 'opening') return answered({ error: 'enotconn' });
  let framed = frame(s.packet, bytes);
  if (s.sending.length === 0) {
    // The common case: the host takes it all now, and nobody waits.
    const n = platform().net.send(s.socket.id, framed);
    if (n < 0) {
      closeSocket(s, 'closed');
      return answered({ error: 'closed' });
    }
    if (n === framed.length) return answered('ok');
    framed = framed.subarray(n);
  }
  return sending(s, p, framed);
}

async function sending(s: SockState, p: Proc, bytes: Uint8Array): Promise<'ok' | { error: string }> {
  const w = waiter(p);
  s.sending.push({ w, bytes });
  let r = await wait(w, s.sendTimeout);
  if (r === TIMEOUT) {
    // Part of the packet may have gone: the stream cannot go on.
    closeSocket(s, 'timeout');
    r = await late(w);
  }
  return r as 'ok' | { error: string };
}

/** Passive mode: the next packet (for 'raw', `length` bytes exactly, or
 *  whatever has come if 0). Only the owner may recv. */
export function recv(sock: Socket, length = 0, timeout = Infinity): Promise<Result<Binary>> {
  if (typeof length !== 'number' || !(length >= 0) || !Number.isInteger(length)) throw new TypeError(`recv: length must be an integer >= 0, got ${String(length)}`);
  checkTimeout(timeout, 'recv');
  const p = me('recv');
  const s = socketOf(sock, 'recv');
  if (!s || s.kind !== 'conn') return answered({ error: s ? 'einval' : 'closed' });
  if (s.owner !== p) return answered({ error: 'not_owner' });
  if (s.active !== 0) return answered({ error: 'einval' });
  if (length > 0 && s.packet !== 'raw') return answered({ error: 'einval' });
  if (s.recvWaiter) return answered({ error: 'ealready' });
  const now = takeNow(s, length);
  if (now) return answered(now);
  return receiving(s, p, length, timeout);
}

async function receiving(s: SockState, p: Proc, length: number, timeout: number): Promise<Result<Binary>> {
  const w = waiter(p);
  s.recvWaiter = { w, want: length };
  drain(s);
  let r = await wait(w, timeout);
  if (r === TIMEOUT) {
    if (s.recvWaiter?.w === w) s.recvWaiter = null;
    flow(s);
    r = await late(w);
    if (r === TIMEOUT) return { error: 'timeout' };
  }
  return r as Result<Binary>;
}

/** Changes options on an open socket (active, packet, maxPacket, exitOnClose, sendTimeout). */
export function setopts(sock: Socket, opts: SocketOptions): 'ok' | { error: string } {
  const p = me('setopts');
  const s = socketOf(sock, 'setopts');
  if (!s) return { error: 'closed' };
  if (s.owner !== p) return { error: 'not_owner' };
  const o = options({ active: undefined, ...opts }, 'setopts');
  if (opts.active !== undefined) {
    // As inet: n adds to a count already running; a total of 0 or less is passive.
    if (typeof opts.active === 'number' && s.activeCounted && s.active > 0) s.active = Math.max(0, s.active + opts.active);
    else s.active = o.active;
    s.activeCounted = o.activeCounted;
  }
  if (opts.maxPacket !== undefined) s.maxPacket = o.maxPacket;
  if ((opts.packet !== undefined || opts.maxPacket !== undefined) && s.framer) {
    // Bytes already held are framed anew.
    s.packet = o.packet;
    const rest = s.framer.rest();
    s.framer = new Framer(s.packet, s.maxPacket);
    s.framer.push(rest);
  }
  if (opts.exitOnClose !== undefined) s.exitOnClose = o.exitOnClose;
  if (opts.sendTimeout !== undefined) s.sendTimeout = o.sendTimeout;
  if (s.kind === 'conn') drain(s);
  return 'ok';
}

/** Makes `pid` the socket's owner. Only the owner may. */
export function controllingProcess(sock: Socket, pid: Pid): 'ok' | { error: string } {
  const p = me('controllingProcess');
  const s = socketOf(sock, 'controllingProcess');
  if (!s) return { error: 'closed' };
  if (s.owner !== p) return { error: 'not_owner' };
  const to = lookup(pid);
  if (!to) return { error: 'badarg' };
  s.owner = to;
  return 'ok';
}

/** Closes the sending side; receiving goes on until the peer closes. */
export function shutdown(sock: Socket): 'ok' | { error: string } {
  me('shutdown');
  const s = socketOf(sock, 'shutdown');
  if (!s || s.kind !== 'conn') return { error: s ? 'einval' : 'closed' };
  platform().net.shutdown(s.socket.id);
  return 'ok';
}

/** Closes the socket; a listener's unaccepted connections close with it. */
export function close(sock: Socket): 'ok' {
  const s = socketOf(sock, 'close');
  if (s) closeSocket(s, 'closed');
  return 'ok';
}

/** The peer's address of a connection, as { ip, port }. */
export function peername(sock: Socket): Result<{ ip: string; port: number }> {
  const s = socketOf(sock, 'peername');
  if (!s || s.kind !== 'conn') return { error: s ? 'enotconn' : 'closed' };
  const i = s.peer.lastIndexOf(':');
  return { ok: { ip: s.peer.slice(0, i), port: Number(s.peer.slice(i + 1)) } };
}

/** The port a listening socket is bound to (what port 0 chose). */
export function port(sock: Socket): Result<number> {
  const s = socketOf(sock, 'port');
  if (!s) return { error: 'closed' };
  return s.kind === 'conn' ? { error: 'einval' } : { ok: s.port };
}

/** The node's own IPv4 address ("" while it has none). */
export function address(): string {
  return platform().net.address();
}

/** A result known at once. It still costs a reduction, and yields once the
 *  process's slice is spent (as sleep(0) does): a loop over data already
 *  held must not run past the runaway guard or starve the others. */
async function answered<T>(r: T): Promise<T> {
  await sleep(0);
  return r;
}

// ---- arguments ----

export function socketOf(sock: unknown, what: string): SockState | undefined {
  if (!(sock instanceof Socket)) throw new TypeError(`${what}: expected a socket, got ${String(sock)}`);
  return find(sock);
}

export function bytesOf(data: unknown, what: string): Uint8Array {
  if (typeof data === 'string') return encodeUtf8(data);
  if (data instanceof Binary) return binaryBytes(data);
  if (data instanceof Uint8Array) return data.slice();
  throw new TypeError(`${what}: data must be a string, a Uint8Array or a Binary, got ${data === null ? 'null' : typeof data}`);
}

export function checkPort(port: unknown, min: number, what: string): void {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < min || port > 65535) {
    throw new RangeError(`${what}: port must be an integer in ${min}..65535, got ${String(port)}`);
  }
}

function checkTimeout(t: unknown, what: string): void {
  if (t !== Infinity && (typeof t !== 'number' || !(t >= 0))) throw new TypeError(`${what}: timeout must be a number >= 0 or Infinity, got ${String(t)}`);
}

/** Checks options and fills in defaults. */
export function options(o: ListenOptions, what: string): OpenOptions {
  if (o === null || typeof o !== 'object') throw new TypeError(`${what}: options must be an object, got ${String(o)}`);
  const { active = false, packet = 'raw', maxPacket = DEFAULT_MAX_PACKET, exitOnClose = true, sendTimeout = Infinity, backlog = 128 } = o;
  let count: number;
  if (active === true) count = ACTIVE_ALWAYS;
  else if (active === false) count = 0;
  else if (active === 'once') count = 1;
  else if (typeof active === 'number' && Number.isInteger(active) && active >= -32768 && active <= 32767) count = Math.max(0, active);
  else throw new TypeError(`${what}: active must be true, false, 'once' or an integer, got ${String(active)}`);
  if (!PACKETS.includes(packet)) throw new TypeError(`${what}: packet must be one of 'raw', 1, 2, 4, 'line', got ${String(packet)}`);
  if (typeof maxPacket !== 'number' || !(maxPacket > 0)) throw new TypeError(`${what}: maxPacket must be a number > 0, got ${String(maxPacket)}`);
  if (sendTimeout !== Infinity && (typeof sendTimeout !== 'number' || !(sendTimeout >= 0))) throw new TypeError(`${what}: sendTimeout must be a number >= 0 or Infinity, got ${String(sendTimeout)}`);
  if (typeof backlog !== 'number' || !Number.isInteger(backlog) || backlog < 1) throw new TypeError(`${what}: backlog must be an integer >= 1, got ${String(backlog)}`);
  return { active: count, activeCounted: typeof active === 'number', packet, maxPacket, exitOnClose: exitOnClose !== false, sendTimeout, backlog };
}
