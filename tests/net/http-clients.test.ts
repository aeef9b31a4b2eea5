// HttpServer against clients that misbehave slowly or send a lot, on both
// hosts at 8M: one deadline for a whole head, a 1 MiB body in one piece
// while others are served, a claimed body that never comes costing nothing,
// a bare LF answered at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { buildCli, moteSync, tempDir } from '../cli/support.ts';
import { http, httpOn, open, serve, untilClosed, type Host, type Served } from './support.ts';

const image = join(tempDir(), 'http-limits.img');
beforeAll(() => {
  buildCli();
  const r = moteSync(['build', 'tests/net/fixtures/http-limits/main.ts', '-o', image]);
  expect(r.status, r.stderr).toBe(0);
});

for (const host of ['run', 'boot'] as Host[]) {
  describe(`mote ${host}: HttpServer's limits at 8M`, () => {
    let srv: Served;
    beforeAll(async () => {
      srv = await serve(host, image, 80, async (port) => (await http(port, 'GET', '/')).status === 200);
    }, 120_000);
    afterAll(async () => {
      const r = await srv?.stop();
      if (r) expect(r.output).not.toMatch(/crashed|uncaught|without yielding/);
    });

    it('a head sent a byte at a time gets its 408 at the head deadline, not never', async () => {
      const s = await open(srv.port);
      const closed = untilClosed(s, 60_000);
      const head = 'GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ' + 'a'.repeat(200);
      let i = 0;
      // A byte every 200 ms: each read is quick, the whole head never is.
      const drip = setInterval(() => (i < head.length && !s.destroyed ? s.write(head[i++]) : clearInterval(drip)), 200);
      const got = await closed;
      clearInterval(drip);
      expect(got).toMatch(/^HTTP\/1\.1 408 /);
      expect(i).toBeLessThan(head.length); // it came before the client was done
    }, 90_000);

    it('takes a 1 MiB body whole while another client is served', async () => {
      const big = 'b'.repeat(1 << 20);
      const put = http(srv.port, 'PUT', '/x', big);
      const get = http(srv.port, 'GET', '/');
      const [p, g] = await Promise.all([put, get]);
      expect(p).toMatchObject({ status: 200, body: `got ${1 << 20}\n` });
      expect(g.status).toBe(200);
    }, 90_000);

    it('a Content-Length with no body behind it costs nothing: six 2 MiB claims at 8M each get their 408', async () => {
      // Twelve MiB claimed, none sent: were each body's buffer made at its
      // claimed length, the heap would fill, and the later connections be
      // refused or their processes killed for memory, with no answer.
      const socks = await Promise.all(Array.from({ length: 6 }, () => open(srv.port)));
      const answers = socks.map((s) => untilClosed(s, 60_000));
      for (const s of socks) s.write(`PUT /x HTTP/1.1\r\nHost: t\r\nContent-Length: ${2 << 20}\r\n\r\n`);
      for (const got of await Promise.all(answers)) expect(got).toMatch(/^HTTP\/1\.1 408 [^]*request body timed out/);
      expect((await http(srv.port, 'GET', '/')).status).toBe(200);
    }, 90_000);

    it('answers a head with a bare LF with 400 at once', async () => {
      const s = await open(srv.port);
      s.write('GET / HTTP/1.1\nHost: t\n');
      expect(await untilClosed(s, 30_000)).toMatch(/^HTTP\/1\.1 400 /);
    });

    it('tells an HTTP/1.0 keep-alive client that the connection stays open', async () => {
      const s = await open(srv.port);
      const r = await httpOn(s, 'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
      s.destroy();
      expect(r.headers.connection).toBe('keep-alive');
    });
  });
}
