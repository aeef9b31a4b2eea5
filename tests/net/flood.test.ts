// A flood of idle connections at 8M against a server with no cap of its
// own: the node refuses what it has no heap for and serves on, on both hosts.
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { buildCli, moteSync, tempDir } from '../cli/support.ts';
import { exchange, open, serve, type Host } from './support.ts';

const image = join(tempDir(), 'uncapped.img');
beforeAll(() => {
  buildCli();
  const r = moteSync(['build', 'tests/net/fixtures/uncapped/main.ts', '-o', image]);
  expect(r.status, r.stderr).toBe(0);
});

const echoes = async (port: number) => {
  const s = await open(port);
  try {
    return (await exchange(s, 'ping', 4, 10_000)).toString() === 'ping';
  } finally {
    s.destroy();
  }
};

for (const host of ['run', 'boot'] as Host[]) {
  describe(`mote ${host} at 8M`, () => {
    it('refuses connections it has no heap for, and serves on after the flood', async () => {
      const srv = await serve(host, image, 7, echoes);
      const socks: Socket[] = [];
      let ended = 0;
      // One after another, 1 ms apart: QEMU's port forwarding listens with a
      // backlog of one, and a client faster than its accept has SYNs dropped
      // (a second's retry each). Until the node has refused 100, or 4000 tries.
      for (let i = 0; i < 4000 && ended < 100 && srv.child.exitCode === null; i++) {
        await new Promise((r) => setTimeout(r, 1));
        const s = await open(srv.port).catch(() => null);
        if (!s) continue;
        s.on('end', () => ended++).on('error', () => {});
        socks.push(s);
      }
      expect(srv.child.exitCode, srv.output()).toBeNull(); // the node is alive
      expect(ended, 'some connections were refused').toBeGreaterThan(0);
      expect(socks.length - ended, 'and hundreds were served').toBeGreaterThan(200);
      for (const s of socks) s.destroy();
      let served = false;
      for (let i = 0; i < 20 && !served; i++) served = await echoes(srv.port).catch(() => false);
      expect(served).toBe(true);
      const r = await srv.stop();
      expect(r.output).not.toMatch(/out of memory where|cannot go on|uncaught/);
    }, 240_000);
  });
}
