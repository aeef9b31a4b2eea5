// Load from outside (PORT set): a line protocol over TCP on the same
// workers, one process per connection (TcpServer, an acceptor pool).
//   PUT key value  ->  OK            (once the write is in the table)
//   GET key        ->  VALUE value | NONE
// A request whose worker was killed, or is restarting, gets
// `ERR unavailable` and may be sent again. Keys live apart from the
// in-image clients' (prefixed "tcp:"). The front is not among the monkey's
// targets: it stands for the network's edge, whose clients count on it.
//
// Run it with CLIENTS=0: while processes are always runnable (the in-image
// clients flat out) the host loop finds its timer due at every turn and
// never gets to network events (kernel/platform.ts's loop takes a due
// timer before them), so the listener would never even hear it listens.
import { GenServer, ProcessExit, TcpServer, ets, gen_tcp, type ChildSpec, type Socket } from 'mote';
import { ownerOf, type Value } from './kv.ts';

export const FRONT_STATS = 'chaos.tcp';

async function answer(line: string, workers: number): Promise<string> {
  const m = /^(PUT|GET) (\S+)(?: (.*))?$/.exec(line);
  if (!m || (m[1] === 'PUT') !== (m[3] !== undefined)) return 'ERR bad request: PUT key value | GET key';
  const key = `tcp:${m[2]}`;
  try {
    if (m[1] === 'PUT') {
      await GenServer.call(ownerOf(key, workers), { op: 'put', key, value: { v: m[3] } });
      return 'OK';
    }
    const r = await GenServer.call<Value | null>(ownerOf(key, workers), { op: 'get', key });
    return r ? `VALUE ${r.v}` : 'NONE';
  } catch (e) {
    if (e instanceof ProcessExit) return 'ERR unavailable';
    throw e;
  }
}

async function serve(conn: Socket, workers: number): Promise<void> {
  for (;;) {
    const r = await gen_tcp.recv(conn);
    if ('error' in r) return; // the peer closed
    const reply = await answer(r.ok.text().replace(/\r?\n$/, ''), workers);
    ets.updateCounter(FRONT_STATS, reply.startsWith('ERR') ? 'failed' : 'served', 1, 0);
    if ((await gen_tcp.send(conn, `${reply}\n`)) !== 'ok') return;
  }
}

export function frontSpec(port: number, workers: number): ChildSpec {
  return TcpServer.childSpec('front', { port, acceptors: 2, maxConnections: 64, socket: { packet: 'line' }, handle: (conn) => serve(conn, workers) });
}
