// The network of the Node hosts (the hosted runner and the unit-test host):
// the `Net` contract of kernel/platform.ts on Node's `net` and `dgram`.
// Node's callbacks only queue events; the host's event loop hands them to the
// guest one per turn (platform.ts, step 6), so guest code never runs inside a
// Node callback.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv4, Socket, type Server } from 'node:net';
import type { NetEventKind } from '../../kernel/platform.ts';
import type { PortMapping } from './types.ts';

export type NetEvent = [kind: NetEventKind, id: number, a?: unknown, b?: unknown];

/** How long a closed connection may take to deliver what it was given (the
 *  boot layer's NET_LINGER_MS). */
const LINGER_MS = 2000;
/** The most bytes one 'data' event carries. */
const DATA_PIECE = 16 * 1024;
/** Bytes a connection may hold unsent in Node before `send` takes no more. */
const SEND_HIGH_WATER = 64 * 1024;
/** QEMU user networking's address for the machine running QEMU. */
const QEMU_HOST = '10.0.2.2';
/** Under QEMU user networking, the guest's own address. */
const QEMU_GUEST = '10.0.2.15';

export interface NodeNetOptions {
  /** false: no network; every open fails with 'enetdown'. */
  enabled: boolean;
  publish: PortMapping[];
  /** Called whenever an event is queued: wakes a waiting event loop. */
  wake(): void;
  /** Told where a guest port is reachable on this machine (tests use it). */
  onListening?(guestPort: number, host: { address: string; port: number; protocol: 'tcp' | 'udp' }): void;
}

interface Conn {
  kind: 'conn';
  socket: Socket;
  paused: boolean;
  wantWritable: boolean;
  /** Failed: its 'error' event is queued, and the entry goes when it is taken. */
  failed: boolean;
}
interface Listener {
  kind: 'listener';
  server: Server;
  guestPort: number;
}
interface Udp {
  kind: 'udp';
  socket: UdpSocket;
  guestPort: number;
}
type Entry = Conn | Listener | Udp;

export class NodeNet {
  private readonly sockets = new Map<number, Entry>();
  /** Events not yet delivered, in order. A paused connection's data and
   *  close wait until it is resumed; 'writable' and 'error' do not. */
  private readonly queue: NetEvent[] = [];
  private nextId = 1;
  /** Guest TCP port -> host port it listens on, for connects to the guest itself. */
  private readonly guestTcp = new Map<number, number>();

  constructor(private readonly opts: NodeNetOptions) {}

  /** Sockets open now: while any is, the event loop waits for the network. */
  get openCount(): number {
    return this.sockets.size;
  }

  /** Events waiting to be taken (a paused connection's among them). */
  get queued(): number {
    return this.queue.length;
  }

  /** The next deliverable event, taken off the queue, or undefined. */
  take(): NetEvent | undefined {
    for (let i = 0; i < this.queue.length; i++) {
      const ev = this.queue[i];
      const s = this.sockets.get(ev[1]);
      // A paused connection's data and close wait; its error does not, and
      // takes the unread data with it, as the boot layer's does.
      if (s?.kind === 'conn' && s.paused && ev[0] !== 'writable' && ev[0] !== 'error') continue;
      this.queue.splice(i, 1);
      if (ev[0] === 'error') {
        this.forget(ev[1]);
        for (let j = this.queue.length - 1; j >= 0; j--) if (this.queue[j][1] === ev[1]) this.queue.splice(j, 1);
      }
      return ev;
    }
    return undefined;
  }

  /** Puts back an event `take` gave that the guest could not accept (no
   *  memory for its bytes): it comes first again, as the boot layer keeps
   *  such data with its socket. Dropped if the socket has gone since. */
  putBack(ev: NetEvent): void {
    if (this.sockets.has(ev[1])) this.queue.unshift(ev);
  }

  address(): string {
    return this.opts.enabled ? '127.0.0.1' : '';
  }

  listen(port: number, backlog: number): number {
    const id = this.nextId++;
    if (!this.refuseOffline(id)) return id;
    if (port !== 0 && this.guestTcp.has(port)) {
      this.push('error', id, 'eaddrinuse');
      return id;
    }
    const map = this.mapping(port, 'tcp');
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: false });
    const entry: Listener = { kind: 'listener', server, guestPort: port };
    this.sockets.set(id, entry);
    server.on('connection', (socket) => {
      if (this.sockets.get(id) !== entry) return void socket.destroy();
      const conn = this.adopt(socket);
      this.push('accepted', id, conn, `${plainIp(socket.remoteAddress)}:${socket.remotePort}`);
    });
    server.on('error', (e: NodeJS.ErrnoException) => this.fail(id, e));
    server.listen({ host: map.hostIp, port: map.hostPort, backlog: Math.max(1, backlog) }, () => {
      const bound = (server.address() as { port: number }).port;
      entry.guestPort = port === 0 ? bound : port;
      this.guestTcp.set(entry.guestPort, bound);
      this.opts.onListening?.(entry.guestPort, { address: map.hostIp, port: bound, protocol: 'tcp' });
      this.push('listening', id, entry.guestPort);
    });
    return id;
  }

  connect(ip: string, port: number): number {
    const id = this.nextId++;
    if (!this.refuseOffline(id)) return id;
    let host = ip;
    if (ip === QEMU_HOST) host = '127.0.0.1';
    else if ((ip === QEMU_GUEST || ip === '127.0.0.1') && this.guestTcp.has(port)) {
      host = '127.0.0.1';
      port = this.guestTcp.get(port)!;
    }
    const s = this.connectSocket(id, host, port);
    s.once('connect', () => this.push('connected', id, `${plainIp(s.localAddress)}:${s.localPort}`));
    return id;
  }

  send(id: number, bytes: Uint8Array): number {
    const s = this.sockets.get(id);
    if (s?.kind !== 'conn') return -1;
    if (s.failed) return 0;
    if (s.socket.destroyed || !s.socket.writable) {
      s.failed = true;
      this.push('error', id, 'epipe');
      return 0;
    }
    // At most what keeps Node's unsent bytes under the high-water mark, as
    // lwIP takes at most its send buffer: a peer that does not read stops
    // the sender here, not in this process's memory.
    const room = SEND_HIGH_WATER - s.socket.writableLength;
    if (room <= 0 || s.socket.connecting) {
      s.wantWritable = true;
      return 0;
    }
    const n = Math.min(room, bytes.length);
    const below = s.socket.write(Buffer.from(bytes.subarray(0, n)));
    if (n < bytes.length) {
      // Node says 'drain' only after a write that went over its mark; one
      // that it flushed at once has room again already.
      if (below) setImmediate(() => this.sockets.get(id) === s && this.push('writable', id));
      else s.wantWritable = true;
    }
    return n;
  }

  /** A send that could not even be read out of the guest: 0 taken, and a
   *  'writable' a little later, when the guest's heap may have room. */
  retryLater(id: number): number {
    const s = this.sockets.get(id);
    if (s?.kind !== 'conn') return -1;
    setTimeout(() => {
      if (this.sockets.get(id) === s) this.push('writable', id);
    }, 10);
    return 0;
  }

  pause(id: number, paused: boolean): void {
    const s = this.sockets.get(id);
    if (s?.kind !== 'conn' || s.paused === paused) return;
    s.paused = paused;
    if (paused) s.socket.pause();
    else {
      s.socket.resume();
      if (this.queue.some((ev) => ev[1] === id)) this.opts.wake();
    }
  }

  shutdown(id: number): void {
    const s = this.sockets.get(id);
    if (s?.kind === 'conn') s.socket.end();
  }

  close(id: number): void {
    const s = this.sockets.get(id);
    if (!s) return;
    this.forget(id);
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const ev = this.queue[i];
      if (ev[1] !== id) continue;
      // A connection the guest was never told of goes with its listener.
      if (ev[0] === 'accepted') this.destroy(ev[2] as number);
      this.queue.splice(i, 1);
    }
    if (s.kind === 'conn') {
      // Unsent data still goes, then the socket closes, within LINGER_MS of
      // the close whatever the peer sends; nothing more is read.
      s.socket.pause();
      s.socket.end();
      s.socket.on('error', () => {});
      setTimeout(() => s.socket.destroy(), LINGER_MS).unref();
    } else if (s.kind === 'listener') s.server.close();
    else s.socket.close();
  }

  udpOpen(port: number): number {
    const id = this.nextId++;
    if (!this.refuseOffline(id)) return id;
    const map = this.mapping(port, 'udp');
    const socket = createSocket('udp4');
    const entry: Udp = { kind: 'udp', socket, guestPort: port };
    this.sockets.set(id, entry);
    socket.on('error', (e: NodeJS.ErrnoException) => this.fail(id, e));
    socket.on('message', (msg, rinfo) => {
      if (this.sockets.get(id) === entry) this.push('datagram', id, new Uint8Array(msg), `${rinfo.address}:${rinfo.port}`);
    });
    socket.bind(map.hostPort, map.hostIp, () => {
      const bound = socket.address().port;
      entry.guestPort = port === 0 ? bound : port;
      this.opts.onListening?.(entry.guestPort, { address: map.hostIp, port: bound, protocol: 'udp' });
      this.push('listening', id, entry.guestPort);
    });
    return id;
  }

  udpSend(id: number, ip: string, port: number, bytes: Uint8Array): number {
    const s = this.sockets.get(id);
    if (s?.kind !== 'udp') return -1;
    s.socket.send(Buffer.from(bytes), port, ip === QEMU_HOST ? '127.0.0.1' : ip);
    return bytes.length;
  }

  /** Ends every socket: the run is over. */
  closeAll(): void {
    for (const [id, s] of this.sockets) {
      this.forget(id);
      if (s.kind === 'conn') s.socket.destroy();
      else if (s.kind === 'listener') s.server.close();
      else s.socket.close();
    }
    this.queue.length = 0;
  }

  // ---- inside ----

  private connectSocket(id: number, host: string, port: number): Socket {
    const socket = new Socket({ allowHalfOpen: true });
    this.watch(id, socket);
    socket.connect({ host, port });
    return socket;
  }

  /** A new connection accepted by a listener: its id. */
  private adopt(socket: Socket): number {
    const id = this.nextId++;
    this.watch(id, socket);
    return id;
  }

  private watch(id: number, socket: Socket): void {
    const entry: Conn = { kind: 'conn', socket, paused: false, wantWritable: false, failed: false };
    this.sockets.set(id, entry);
    const mine = () => this.sockets.get(id) === entry;
    socket.on('data', (buf: Buffer) => {
      // In pieces no bigger than the boot layer's window (lwIP's 16 segments),
      // so one event never asks the guest's heap for more than metal's would.
      if (!mine()) return;
      for (let at = 0; at < buf.length; at += DATA_PIECE) {
        const end = Math.min(buf.length, at + DATA_PIECE);
        this.push('data', id, new Uint8Array(buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + end)));
      }
    });
    socket.on('end', () => {
      if (mine()) this.push('closed', id);
    });
    socket.on('drain', () => {
      if (mine() && entry.wantWritable) {
        entry.wantWritable = false;
        this.push('writable', id);
      }
    });
    socket.on('connect', () => {
      if (mine() && entry.wantWritable && socket.writableLength < SEND_HIGH_WATER) {
        entry.wantWritable = false;
        this.push('writable', id);
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (mine()) this.fail(id, e);
    });
  }

  /** The socket failed: the guest hears it after any data queued before. */
  private fail(id: number, e: NodeJS.ErrnoException): void {
    const s = this.sockets.get(id);
    if (!s || (s.kind === 'conn' && s.failed)) return;
    if (s.kind === 'conn') {
      s.failed = true;
      s.socket.destroy();
    } else {
      this.forget(id);
      if (s.kind === 'listener') s.server.close();
      else s.socket.close();
    }
    this.push('error', id, errorName(e));
  }

  /** Ends a connection at once (a reset), with no event. */
  private destroy(id: number): void {
    const s = this.sockets.get(id);
    if (s?.kind === 'conn') s.socket.destroy();
    this.forget(id);
  }

  private forget(id: number): void {
    const s = this.sockets.get(id);
    if (s?.kind === 'listener' && this.guestTcp.get(s.guestPort) !== undefined) this.guestTcp.delete(s.guestPort);
    this.sockets.delete(id);
  }

  private refuseOffline(id: number): boolean {
    if (this.opts.enabled) return true;
    this.push('error', id, 'enetdown');
    return false;
  }

  private mapping(guestPort: number, protocol: 'tcp' | 'udp'): { hostIp: string; hostPort: number } {
    const m = this.opts.publish.find((p) => p.guestPort === guestPort && p.protocol === protocol && guestPort !== 0);
    return m ? { hostIp: m.hostIp, hostPort: m.hostPort } : { hostIp: '127.0.0.1', hostPort: 0 };
  }

  private push(kind: NetEventKind, id: number, a?: unknown, b?: unknown): void {
    this.queue.push(b === undefined ? (a === undefined ? [kind, id] : [kind, id, a]) : [kind, id, a, b]);
    this.opts.wake();
  }
}

/** Node's error code as the contract names it ('ECONNREFUSED' -> 'econnrefused'). */
function errorName(e: NodeJS.ErrnoException): string {
  const code = typeof e.code === 'string' ? e.code.toLowerCase() : '';
  if (code === 'eacces' || code === 'eaddrinuse' || code === 'econnrefused' || code === 'econnreset' || code === 'etimedout' || code === 'ehostunreach' || code === 'enetunreach' || code === 'epipe') return code;
  if (code === 'eaddrnotavail' || code === 'einval') return 'einval';
  return code || 'einval';
}

/** "::ffff:127.0.0.1" -> "127.0.0.1". */
function plainIp(ip: string | undefined): string {
  if (!ip) return '0.0.0.0';
  return ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}
