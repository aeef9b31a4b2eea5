/**
 * The socket table: every open socket, who owns it, and what the host's
 * network events do to it (kernel/platform.ts, `Net`). gen_tcp.ts and
 * gen_udp.ts are the public API over it.
 *
 * A socket has one controlling process, its owner, which gets its messages
 * in active mode and whose death closes it. A listener's owner dying closes
 * the listener and the connections that arrived but were not yet accepted.
 *
 * Blocking calls (accept, recv, a send the host cannot take at once) wait in
 * the calling process's own receive for `{ $net: ref, result }`, which the
 * kernel sends when the host's event comes: so they work from async bodies
 * and handlers alike, and a timeout is an ordinary receive timeout.
 */
import { platform, type NetEventKind } from './platform.ts';
import { Binary, Ref, Socket } from './term.ts';
import { Framer, FramingError, type Packet } from './framing.ts';
import { deliver } from './mailbox.ts';
import { isOutOfMemory, onDeath } from './signals.ts';
import { lookup, type Proc } from './process.ts';
import { receive, self, TIMEOUT } from './process_api.ts';
import { heapLimit, heapShort } from './pressure.ts';
import * as logger from './logger.ts';

/** `active` as a count: ACTIVE_ALWAYS for true, 0 for false, n for once/n. */
export const ACTIVE_ALWAYS = -1;

export interface Waiter {
  proc: Proc;
  ref: Ref;
}

interface Pending {
  w: Waiter;
  bytes: Uint8Array;
}

/** A socket's options, as gen_tcp.ts's `options` checks them. */
export interface OpenOptions {
  /** `active` as a count: ACTIVE_ALWAYS for true, 0 for false, n for once/n. */
  active: number;
  /** Active was set to a count (not 'once'): reaching 0 sends tcp_passive. */
  activeCounted: boolean;
  packet: Packet;
  maxPacket: number;
  exitOnClose: boolean;
  /** Ms a send may wait for the peer to take its bytes; then the socket
   *  closes and the send gives 'timeout' (gen_tcp's send_timeout_close). */
  sendTimeout: number;
  /** A listener's queue of connections not yet accepted. */
  backlog: number;
}

export interface SockState extends OpenOptions {
  readonly socket: Socket;
  readonly kind: 'listener' | 'conn' | 'udp';
  owner: Proc;
  /** The owner was told the peer closed (tcp_closed), or a recv was. */
  closeTold: boolean;
  phase: 'opening' | 'open' | 'peerClosed';
  /** listen/connect/udpOpen waiting for the host's answer. */
  opening: Waiter | null;
  // A listener's:
  unaccepted: SockState[];
  acceptors: Waiter[];
  // A connection's:
  framer: Framer | null;
  /** Set while a connection waits in its listener's queue. */
  listener: SockState | null;
  recvWaiter: { w: Waiter; want: number } | null;
  sending: Pending[];
  paused: boolean;
  peer: string;
  /** The port bound, once listening (a listener's or a UDP socket's). */
  port: number;
  // A UDP socket's datagrams, held in passive mode:
  datagrams: { data: Binary; ip: string; port: number }[];
}

const table = new Map<number, SockState>();
let listening = false;

/** The state of `sock` if it is open, else undefined. */
export function find(sock: Socket): SockState | undefined {
  return table.get(sock.id);
}

/** Sockets open now (for memory() and tests). */
export function openSockets(): number {
  return table.size;
}

/** A new entry for host id `id`, owned by `owner`. */
export function register(id: number, kind: SockState['kind'], owner: Proc, o: OpenOptions): SockState {
  if (!listening) {
    listening = true;
    platform().net.onEvent(onEvent);
  }
  const s: SockState = {
    socket: new Socket(id),
    kind,
    owner,
    active: o.active,
    activeCounted: o.activeCounted,
    closeTold: false,
    packet: o.packet,
    maxPacket: o.maxPacket,
    exitOnClose: o.exitOnClose,
    sendTimeout: o.sendTimeout,
    phase: 'opening',
    opening: null,
    backlog: o.backlog,
    unaccepted: [],
    acceptors: [],
    framer: kind === 'conn' ? new Framer(o.packet, o.maxPacket) : null,
    listener: null,
    recvWaiter: null,
    sending: [],
    paused: false,
    peer: '',
    port: 0,
    datagrams: [],
  };
  table.set(id, s);
  return s;
}

// ---- waiting in the caller ----

/** A waiter for the calling process. */
export function waiter(p: Proc): Waiter {
  return { proc: p, ref: new Ref() };
}

/** Waits for the kernel's answer to `w`: the result, or TIMEOUT. */
export async function wait(w: Waiter, timeout: number): Promise<unknown> {
  const m = await receive({ $net: w.ref }, { after: timeout });
  return m === TIMEOUT ? TIMEOUT : (m as { result: unknown }).result;
}

/** After a timeout: an answer that came in between, if any. */
export async function late(w: Waiter): Promise<unknown> {
  return wait(w, 0);
}

function answer(w: Waiter, result: unknown): void {
  deliver(w.proc, { $net: w.ref, result });
}

// ---- closing ----

/** Closes `s` in the host and the table; whoever waits on it hears `reason`. */
export function closeSocket(s: SockState, reason: string): void {
  if (table.get(s.socket.id) !== s) return;
  table.delete(s.socket.id);
  platform().net.close(s.socket.id);
  const error = { error: reason };
  if (s.opening) answer(s.opening, error);
  for (const w of s.acceptors) answer(w, error);
  for (const c of s.unaccepted) closeSocket(c, reason);
  if (s.recvWaiter) answer(s.recvWaiter.w, error);
  for (const p of s.sending) answer(p.w, error);
  s.opening = s.recvWaiter = null;
  s.acceptors = [];
  s.unaccepted = [];
  s.sending = [];
  if (s.listener) s.listener.unaccepted = s.listener.unaccepted.filter((c) => c !== s);
}

onDeath.push((p: Proc) => {
  if (table.size === 0) return;
  for (const s of [...table.values()]) {
    if (s.owner === p) closeSocket(s, 'closed');
    else {
      // A waiter that died: drop it, so no answer goes to a dead process.
      s.acceptors = s.acceptors.filter((w) => w.proc !== p);
      if (s.recvWaiter?.w.proc === p) s.recvWaiter = null;
      s.sending = s.sending.filter((q) => q.w.proc !== p);
    }
  }
});

// ---- flow: what the host delivers ----

/** Bytes a passive connection reads ahead of its recv calls. A request that
 *  arrives while its process is busy is then there for the next recv, with
 *  no round trip to the host; past this, the host holds the data and the
 *  peer's window closes. */
const READ_AHEAD = 8 * 1024;

/** Tells the host whether to deliver data for a connection: only once it is
 *  accepted, and in passive mode only while someone waits in recv or less
 *  than READ_AHEAD is held. */
export function flow(s: SockState): void {
  if (s.kind !== 'conn' || s.phase === 'opening') return;
  const want = !s.listener && (s.active !== 0 || s.recvWaiter !== null || s.framer!.buffered < READ_AHEAD);
  if (want === !s.paused) return;
  s.paused = !want;
  platform().net.pause(s.socket.id, s.paused);
}

/** Passive recv without waiting: a whole packet already held (for 'raw',
 *  `want` bytes, or all held if 0), the close if the peer closed and no
 *  packet is left, or null: then the caller waits. */
export function takeNow(s: SockState, want: number): { ok: Binary } | { error: string } | null {
  let packet: Uint8Array | null;
  try {
    packet = s.framer!.next(want);
  } catch (e) {
    if (!(e instanceof FramingError)) throw e;
    fail(s, e.reason);
    return { error: e.reason };
  }
  if (packet) {
    flow(s);
    return { ok: Binary.adopt(packet) };
  }
  if (s.phase !== 'peerClosed') return null;
  s.closeTold = true;
  if (s.exitOnClose) closeSocket(s, 'closed');
  return { error: 'closed' };
}

/** Sends what it can of the first pending sends; the rest waits for 'writable'. */
function pump(s: SockState): void {
  const net = platform().net;
  while (s.sending.length > 0) {
    const q = s.sending[0];
    const n = net.send(s.socket.id, q.bytes);
    if (n < 0) return closeSocket(s, 'closed');
    if (n < q.bytes.length) {
      q.bytes = q.bytes.subarray(n);
      return;
    }
    s.sending.shift();
    answer(q.w, 'ok');
  }
}

/** Hands complete packets to the owner (active) or the recv waiter. */
export function drain(s: SockState): void {
  const f = s.framer!;
  try {
    while (s.active !== 0) {
      const packet = f.next();
      if (!packet) break;
      deliver(s.owner, { type: 'tcp', socket: s.socket, data: Binary.adopt(packet) });
      if (s.active > 0 && --s.active === 0) {
        if (s.activeCounted) deliver(s.owner, { type: 'tcp_passive', socket: s.socket });
      }
    }
    if (s.recvWaiter) {
      const packet = f.next(s.recvWaiter.want);
      if (packet) {
        const { w } = s.recvWaiter;
        s.recvWaiter = null;
        answer(w, { ok: Binary.adopt(packet) });
      }
    }
  } catch (e) {
    if (!(e instanceof FramingError)) throw e;
    return fail(s, e.reason);
  }
  if (s.phase === 'peerClosed') peerClosed(s);
  else flow(s);
}

/** The peer closed, and every whole packet before it was handed out. */
function peerClosed(s: SockState): void {
  if (s.recvWaiter) {
    const { w } = s.recvWaiter;
    s.recvWaiter = null;
    s.closeTold = true;
    answer(w, { error: 'closed' });
  } else if (s.active !== 0 && !s.closeTold) {
    s.closeTold = true;
    deliver(s.owner, { type: 'tcp_closed', socket: s.socket });
  } else return; // passive: the next recv hears it
  // As gen_tcp's exit_on_close (the default): the socket is closed once told.
  if (s.exitOnClose) closeSocket(s, 'closed');
}

/** The socket failed: the owner hears it and it is gone. */
function fail(s: SockState, reason: string): void {
  if (s.kind === 'conn' && s.active !== 0 && !s.listener) {
    deliver(s.owner, { type: 'tcp_error', socket: s.socket, reason });
    deliver(s.owner, { type: 'tcp_closed', socket: s.socket });
  } else if (s.kind === 'udp' && s.active !== 0) {
    deliver(s.owner, { type: 'udp_error', socket: s.socket, reason });
  }
  closeSocket(s, reason);
}

// ---- the host's events ----

function onEvent(kind: NetEventKind, id: number, a?: unknown, b?: unknown): void {
  const s = table.get(id);
  if (!s) return;
  try {
    handleEvent(s, kind, a, b);
  } catch (e) {
    if (!isOutOfMemory(e) || s.kind !== 'conn') throw e;
    noRoomFor(s);
  }
}

// Received bytes wait in the socket table until a packet is whole: outside
// any process, where memory pressure (pressure.ts) cannot see them. Peers
// each sending most of a maxPacket-long packet and never the rest filled the
// heap: the host then could not hand over any data (host_net.c gives it back
// for a later turn) and the node served no one, or the engine's out of memory
// surfaced here and stopped it (status 100). So received bytes are counted
// as pressure counts a process's: every heapLimit/64 of them the heap is
// looked at, and past 7/8 full the connection holding the most (at least
// heapLimit/32) is dropped, until it is not.
let receivedSince = 0;

function received(bytes: number): void {
  receivedSince += bytes;
  if (receivedSince * 64 < heapLimit()) return;
  receivedSince = 0;
  while (heapShort()) {
    const s = fullest(heapLimit() / 32);
    if (!s) return;
    noRoomFor(s);
  }
}

/** The connection holding the most received bytes, if at least `least`. */
function fullest(least: number): SockState | null {
  let most: SockState | null = null;
  let bytes = least;
  for (const s of table.values()) {
    if (s.framer && s.framer.buffered >= bytes) {
      bytes = s.framer.buffered;
      most = s;
    }
  }
  return most;
}

/** No room in the heap for what a connection holds (or the engine ran out
 *  while taking its data): it fails with 'enomem', its bytes dropped first;
 *  the node and the other connections go on. */
function noRoomFor(s: SockState): void {
  const held = s.framer!.buffered;
  s.framer!.clear();
  fail(s, 'enomem');
  try {
    logger.warning(`sockets: dropped the connection from ${s.peer || 'a peer'}: no room in the heap for its data (${held} bytes held)`);
  } catch {
    // no room for the line: the drop is what counts
  }
}

function handleEvent(s: SockState, kind: NetEventKind, a?: unknown, b?: unknown): void {
  switch (kind) {
    case 'listening':
    case 'connected':
      s.phase = 'open';
      if (kind === 'listening') s.port = a as number;
      if (s.opening) {
        const w = s.opening;
        s.opening = null;
        if (!w.proc.alive) return closeSocket(s, 'closed');
        answer(w, { ok: s.socket });
      }
      flow(s);
      return;
    case 'accepted':
      return accepted(s, a as number, String(b ?? ''));
    case 'data':
      if (s.kind !== 'conn') return;
      s.framer!.push(a as Uint8Array);
      drain(s);
      return received((a as Uint8Array).length);
    case 'writable':
      return pump(s);
    case 'closed':
      if (s.kind !== 'conn') return;
      s.phase = 'peerClosed';
      return drain(s);
    case 'error':
      if (s.opening) {
        const w = s.opening;
        s.opening = null;
        answer(w, { error: String(a) });
        return closeSocket(s, String(a));
      }
      return fail(s, String(a));
    case 'datagram':
      return datagram(s, a as Uint8Array, String(b ?? ''));
  }
}

/** Heap use past which new connections are refused: 3/4 of the limit, below
 *  the 7/8 where memory pressure starts killing processes, so the
 *  connections already open keep the room they need. */
const ADMIT_NUM = 3;
const ADMIT_DEN = 4;

function heapHasRoom(): boolean {
  try {
    const m = platform().memory();
    if (m.heapUsed * ADMIT_DEN <= m.heapLimit * ADMIT_NUM) return true;
    refusedForMemory(m.heapUsed, m.heapLimit);
  } catch {
    refusedForMemory(0, 0); // no room even for the figures
  }
  return false;
}

// Refusals are logged, at most one line a second with the count since the
// last, so an operator learns why clients are turned away without a flood.
let refusedSince = 0;
let refusedLineAt = -Infinity;
function refusedForMemory(used: number, limit: number): void {
  refusedSince++;
  const now = platform().monotonicMs();
  if (now - refusedLineAt < 1000) return;
  refusedLineAt = now;
  const heap = limit ? `the heap is ${Math.round((used / limit) * 100)}% full (${used} of ${limit} bytes)` : 'the heap is full';
  logger.warning(`sockets: refused ${refusedSince} connection${refusedSince === 1 ? '' : 's'}: ${heap}, past the 3/4 kept for those already open`);
  refusedSince = 0;
}

function accepted(ls: SockState, connId: number, peer: string): void {
  const net = platform().net;
  // A full queue, or a heap too full for one more, refuses the connection:
  // it closes at once, and the node goes on serving the others.
  if ((ls.unaccepted.length >= ls.backlog && ls.acceptors.length === 0) || !heapHasRoom()) return net.close(connId);
  const c = register(connId, 'conn', ls.owner, ls);
  c.phase = 'open';
  c.peer = peer;
  c.listener = ls;
  c.paused = true;
  net.pause(connId, true);
  ls.unaccepted.push(c);
  handOut(ls);
}

/** Gives queued connections to waiting acceptors, oldest first. */
export function handOut(ls: SockState): void {
  while (ls.acceptors.length > 0 && ls.unaccepted.length > 0) {
    const w = ls.acceptors.shift()!;
    if (!w.proc.alive) continue;
    const c = ls.unaccepted.shift()!;
    c.listener = null;
    c.owner = w.proc;
    answer(w, { ok: c.socket });
    drain(c);
  }
}

function datagram(s: SockState, bytes: Uint8Array, from: string): void {
  const colon = from.lastIndexOf(':');
  const ip = from.slice(0, colon);
  const port = Number(from.slice(colon + 1));
  const data = Binary.adopt(bytes);
  if (s.active === 0) {
    if (s.recvWaiter) {
      const { w } = s.recvWaiter;
      s.recvWaiter = null;
      return answer(w, { ok: { ip, port, data } });
    }
    // Passive and no reader: keep a bounded number, as a socket buffer would.
    if (s.datagrams.length < 64) s.datagrams.push({ data, ip, port });
    return;
  }
  deliver(s.owner, { type: 'udp', socket: s.socket, ip, port, data });
  if (s.active > 0 && --s.active === 0 && s.activeCounted) deliver(s.owner, { type: 'udp_passive', socket: s.socket });
}

/** The calling process's record (for the API's ownership checks). */
export function caller(): Proc {
  return lookup(self())!;
}
