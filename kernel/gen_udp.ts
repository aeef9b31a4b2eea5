/**
 * UDP sockets at gen_udp's level. Active by default, as gen_udp: each
 * datagram reaches the owner as `{ type: 'udp', socket, ip, port, data }`
 * (data a Binary). With `active: false`, `recv` takes them one at a time.
 */
import { platform } from './platform.ts';
import { Socket, type Binary } from './term.ts';
import { TIMEOUT } from './process_api.ts';
import { me } from './process.ts';
import { closeSocket, find, late, register, wait, waiter } from './sockets.ts';
import { bytesOf, checkPort, options, socketOf, type Active, type Data, type Result } from './gen_tcp.ts';

export interface UdpOptions {
  /** Default true, as gen_udp. */
  active?: Active;
}

export interface Datagram {
  ip: string;
  port: number;
  data: Binary;
}

/** Opens a UDP socket on `port` (0: any). */
export function open(port: number, opts: UdpOptions = {}): Promise<Result<Socket>> {
  checkPort(port, 0, 'open');
  const o = options({ active: true, ...opts }, 'open');
  const p = me('open');
  const s = register(platform().net.udpOpen(port), 'udp', p, o);
  const w = (s.opening = waiter(p));
  return wait(w, Infinity) as Promise<Result<Socket>>;
}

/** Sends one datagram to `ip:port`. 'ok' once queued; a datagram dropped for
 *  want of a buffer is still 'ok', as UDP promises nothing. */
export function send(sock: Socket, ip: string, port: number, data: Data): 'ok' | { error: string } {
  if (typeof ip !== 'string') throw new TypeError(`send: the address must be an IPv4 literal string, got ${String(ip)}`);
  checkPort(port, 1, 'send');
  const bytes = bytesOf(data, 'send');
  me('send');
  const s = socketOf(sock, 'send');
  if (!s || s.kind !== 'udp') return { error: s ? 'einval' : 'closed' };
  return platform().net.udpSend(s.socket.id, ip, port, bytes) < 0 ? { error: 'closed' } : 'ok';
}

/** Passive mode: the next datagram. */
export async function recv(sock: Socket, timeout = Infinity): Promise<Result<Datagram>> {
  const p = me('recv');
  const s = socketOf(sock, 'recv');
  if (!s || s.kind !== 'udp') return { error: s ? 'einval' : 'closed' };
  if (s.owner !== p) return { error: 'not_owner' };
  if (s.active !== 0) return { error: 'einval' };
  const held = s.datagrams.shift();
  if (held) return { ok: held };
  if (s.recvWaiter) return { error: 'ealready' };
  const w = waiter(p);
  s.recvWaiter = { w, want: 0 };
  let r = await wait(w, timeout);
  if (r === TIMEOUT) {
    if (s.recvWaiter?.w === w) s.recvWaiter = null;
    r = await late(w);
    if (r === TIMEOUT) return { error: 'timeout' };
  }
  return r as Result<Datagram>;
}

export function close(sock: Socket): 'ok' {
  const s = socketOf(sock, 'close');
  if (s && find(sock) === s) closeSocket(s, 'closed');
  return 'ok';
}
