// The network bench's Node reference, run as its own process (so it does not
// share an event loop with the load generator): node:http answering GET /
// as images/http does (keep-alive as Node's default), node:net echoing as
// images/echo does.
//   npx vite-node bench/net/node-servers.ts -- HTTP_PORT ECHO_PORT
import { createServer as createHttp } from 'node:http';
import { createServer as createTcp } from 'node:net';

const [httpPort, echoPort] = process.argv.slice(-2).map(Number);
const BODY = 'hello from mote\n';

createHttp((req, res) => {
  if (req.url !== '/') return void res.writeHead(404).end('not found\n');
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': BODY.length }).end(BODY);
}).listen(httpPort, '127.0.0.1');
createTcp((s) => {
  s.setNoDelay(true);
  s.on('data', (b) => s.write(b));
  s.on('error', () => s.destroy());
}).listen(echoPort, '127.0.0.1');
console.log(`node: serving http on ${httpPort}, echo on ${echoPort}`);
