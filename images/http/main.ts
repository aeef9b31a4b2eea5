// An HTTP/1.1 server on port 80: GET / says hello, and /kv/KEY is a small
// key-value API (GET, PUT, DELETE) over a table. An acceptor pool under a
// supervisor with one process per connection, keep-alive, as cowboy does.
//
//   mote run http.img -p 8080:80    then: curl 127.0.0.1:8080/
//   curl -X PUT --data-binary v 127.0.0.1:8080/kv/k && curl 127.0.0.1:8080/kv/k
import { application, Supervisor, HttpServer, type Request, type Response } from 'mote';
import { startKv, get, put, remove } from './kv.ts';

const PORT = 80;

function kv(req: Request, key: string): Response {
  if (key === '' || key.includes('/')) return { status: 404, body: 'no such key\n' };
  switch (req.method) {
    case 'GET':
    case 'HEAD': {
      const v = get(key);
      return v === undefined ? { status: 404, body: 'no such key\n' } : { body: v };
    }
    case 'PUT': {
      const stored = put(key, req.body.text());
      if (stored === 'full') return { status: 507, body: 'the store is full: delete some keys first\n' };
      return { status: stored === 'created' ? 201 : 204 };
    }
    case 'DELETE':
      return remove(key) ? { status: 204 } : { status: 404, body: 'no such key\n' };
    default:
      return { status: 405, headers: { allow: 'GET, HEAD, PUT, DELETE' }, body: 'method not allowed\n' };
  }
}

function handler(req: Request): Response {
  if (req.path === '/') return { body: 'hello from mote\n' };
  if (req.path.startsWith('/kv/')) {
    let key: string;
    try {
      key = decodeURIComponent(req.path.slice(4));
    } catch {
      return { status: 400, body: 'bad percent-encoding in the key\n' };
    }
    return kv(req, key);
  }
  // A route that fails on purpose: its connection dies, the server does not.
  if (req.path === '/crash') throw new Error('crash requested');
  return { status: 404, body: 'not found\n' };
}

// A permanent application: if its supervisor gives up (the port cannot be
// had, the server keeps crashing), the node stops with status 111 and says why.
application.start('http', {
  start: () =>
    Supervisor.startLink(() => ({
      flags: { strategy: 'one_for_one', intensity: 5, period: 10_000 },
      children: [
        { id: 'kv', start: startKv },
        HttpServer.childSpec('http', { port: PORT, acceptors: 4, maxConnections: 256, handler }),
      ],
    })),
});
