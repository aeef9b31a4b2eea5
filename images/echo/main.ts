// A TCP echo server on port 7: an acceptor pool under a supervisor, one
// process per connection, each sending back what it reads. Passive sockets,
// so a client that sends faster than it reads is slowed by TCP's own window
// instead of filling the node's memory.
//
//   mote run echo.img -p 7007:7     then: nc 127.0.0.1 7007
import { application, Supervisor, TcpServer, gen_tcp, type Socket } from 'mote';

const PORT = 7;

async function echo(conn: Socket): Promise<void> {
  for (;;) {
    const r = await gen_tcp.recv(conn);
    if ('error' in r) return; // the peer closed, or the connection failed
    if ((await gen_tcp.send(conn, r.ok)) !== 'ok') return;
  }
}

// A permanent application: if its supervisor gives up (the port cannot be
// had, the server keeps crashing), the node stops with status 111 and says why.
application.start('echo', {
  start: () =>
    Supervisor.startLink(() => ({
      flags: { strategy: 'one_for_one', intensity: 5, period: 10_000 },
      children: [TcpServer.childSpec('echo', { port: PORT, acceptors: 4, maxConnections: 512, handle: echo })],
    })),
});
