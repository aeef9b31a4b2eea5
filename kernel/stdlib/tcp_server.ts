/**
 * TcpServer: an acceptor pool, as ranch runs one. A listener process owns
 * the listening socket and links to a pool of acceptors; each acceptor
 * accepts, and the listener starts one process per connection, linked to
 * itself, which owns the connection and runs `handle(conn)`.
 *
 *   children: [TcpServer.childSpec('web', { port: 80, handle: serveHttp })]
 *
 * Failures stay small: a handler that throws ends its own process (and so
 * closes its connection) and is logged; the listener goes on. An acceptor
 * that dies is replaced. Past `maxConnections` live connections the
 * acceptors stop accepting, so new connects wait in the socket's backlog and
 * past it are refused: load sheds at the door, not in memory. The listener
 * failing to listen (a port in use) exits with `{ listen: reason }`, for its
 * supervisor to act on.
 */
import { spawn, spawnLink, self, send, receive, trapExit, link, exit } from '../process_api.ts';
import type { ExitMessage } from '../signals.ts';
import type { Pid, Socket } from '../term.ts';
import * as gen_tcp from '../gen_tcp.ts';
import * as logger from '../logger.ts';
import type { ChildSpec } from './supervisor.ts';
import type { StartResult } from './gen_server.ts';

export interface TcpServerOptions {
  port: number;
  /** Processes waiting in accept at once (default 4). */
  acceptors?: number;
  /** Live connections past which accepting pauses (default 256). */
  maxConnections?: number;
  /** Options of the listening socket, inherited by its connections. */
  socket?: gen_tcp.ListenOptions;
  /** Serves one connection, in its own process, which owns `conn`. */
  handle(conn: Socket): unknown;
}

export const TcpServer = {
  /** Starts a listener linked to the caller; `{ ok: pid }` at once (the
   *  listen itself completes in the listener). */
  startLink(opts: TcpServerOptions): StartResult {
    check(opts);
    return { ok: spawnLink(() => listener(opts)) };
  },
  /** A supervisor child spec for it. */
  childSpec(id: string, opts: TcpServerOptions): ChildSpec {
    check(opts);
    return { id, start: () => TcpServer.startLink(opts), shutdown: 5000 };
  },
};

function check(opts: TcpServerOptions): void {
  if (opts === null || typeof opts !== 'object') throw new TypeError(`TcpServer: options must be an object, got ${String(opts)}`);
  if (typeof opts.handle !== 'function') throw new TypeError('TcpServer: handle must be a function (conn) => ...');
  gen_tcp.checkPort(opts.port, 0, 'TcpServer');
  gen_tcp.options(opts.socket ?? {}, 'TcpServer');
  for (const k of ['acceptors', 'maxConnections'] as const) {
    const v = opts[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) throw new TypeError(`TcpServer: ${k} must be an integer >= 1, got ${String(v)}`);
  }
}

interface Accepted {
  $accepted: Socket;
  from: Pid;
}

async function listener(opts: TcpServerOptions): Promise<void> {
  trapExit(true);
  const r = await gen_tcp.listen(opts.port, opts.socket);
  if ('error' in r) {
    logger.error(`TcpServer: cannot listen on port ${opts.port}: ${r.error}`);
    exit({ listen: r.error });
  }
  const ls = r.ok;
  const bound = gen_tcp.port(ls);
  logger.notice(`TcpServer: listening on port ${'ok' in bound ? bound.ok : opts.port}`);
  const me = self();
  const max = opts.maxConnections ?? 256;
  const acceptors = new Set<Pid>();
  const conns = new Set<Pid>();
  /** Acceptors told to wait until a connection ends. */
  const held: Pid[] = [];
  const startAcceptor = () => acceptors.add(spawnLink(() => acceptor(ls, me)));
  for (let i = 0; i < (opts.acceptors ?? 4); i++) startAcceptor();
  for (;;) {
    const m = await receive<Accepted | ExitMessage>();
    if ('$accepted' in m) {
      const conn = m.$accepted;
      const pid = spawn(() => opts.handle(conn));
      link(pid);
      conns.add(pid);
      gen_tcp.controllingProcess(conn, pid);
      if (conns.size < max) send(m.from, 'go');
      else held.push(m.from);
      continue;
    }
    if (m.type !== 'EXIT' || !m.from) continue;
    if (acceptors.delete(m.from)) {
      logger.error(`TcpServer: acceptor ${m.from} died; starting another`);
      startAcceptor();
    } else if (conns.delete(m.from)) {
      // A crash was logged by the kernel already; the slot is free again.
      const next = held.shift();
      if (next) send(next, 'go');
    } else {
      // The parent (a supervisor) or another linked process: stop everything.
      gen_tcp.close(ls);
      exit(m.reason);
    }
  }
}

async function acceptor(ls: Socket, listener: Pid): Promise<void> {
  for (;;) {
    const r = await gen_tcp.accept(ls);
    if ('error' in r) exit(r.error === 'closed' ? 'shutdown' : { accept: r.error });
    gen_tcp.controllingProcess(r.ok, listener);
    send(listener, { $accepted: r.ok, from: self() } satisfies Accepted);
    await receive('go');
  }
}
