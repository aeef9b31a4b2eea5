// Peers of a {packet: 4} server at 8M that each send most of a 1 MiB packet
// and never the rest: what they send piles up in the socket table, outside
// any process, until the heap is full. The connection whose data finds no
// room is dropped ('enomem'); the node and its other clients go on, on both
// hosts. (It stopped with status 100, an uncaught out of memory.)
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { buildCli, moteSync, tempDir } from '../cli/support.ts';
import { exchange, open, serve, type Host } from './support.ts';

const image = join(tempDir(), 'packet4-echo.img');
beforeAll(() => {
  buildCli();
  const r = moteSync(['build', 'tests/net/fixtures/packet4-echo/main.ts', '-o', image]);
  expect(r.status, r.stderr).toBe(0);
});

const packet = (body: Buffer) => Buffer.concat([Buffer.from([0, 0, body.length >> 8, body.length & 255]), body]);
const ping = packet(Buffer.from('ping'));
const echoes = async (s: Socket) => (await exchange(s, ping, ping.length, 20_000)).equals(ping);

for (const host of ['run', 'boot'] as Host[]) {
  describe(`mote ${host} at 8M`, () => {
    it('drops the connections whose half-sent packets fill the heap, and serves the others', async () => {
      const srv = await serve(host, image, 7, async (port) => {
        const s = await open(port);
        try {
          return await echoes(s);
        } finally {
          s.destroy();
        }
      });
      // A bystander, connected and served before the flood.
      const bystander = await open(srv.port);
      expect(await echoes(bystander)).toBe(true);
      // Twelve peers, each accepted and served once (so each has a process
      // waiting in recv), then each sends 1 MiB - 1 of a 1 MiB packet: 12 MiB
      // for a heap of about 6.
      const peers: Socket[] = [];
      for (let i = 0; i < 12; i++) {
        const s = await open(srv.port);
        s.on('error', () => {});
        expect(await echoes(s)).toBe(true);
        peers.push(s);
      }
      const head = Buffer.from([0, 16, 0, 0]); // 1 MiB
      const body = Buffer.alloc((1 << 20) - 1, 0x61);
      for (const s of peers) s.write(Buffer.concat([head, body]));
      // Until the node says it dropped one, or it is gone.
      for (let i = 0; i < 600 && srv.child.exitCode === null && !/no room in the heap for its data/.test(srv.output()); i++) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(srv.child.exitCode, srv.output()).toBeNull();
      expect(await echoes(bystander).catch(() => false), 'the bystander is served').toBe(true);
      expect(srv.output()).toMatch(/sockets: dropped the connection from [\d.:]+: no room in the heap for its data/);
      for (const s of peers) s.destroy();
      // A new client once they are gone: refused while their closes are
      // still on the way (the heap is past 3/4 until then), so a few tries.
      let served = false;
      for (let i = 0; i < 20 && !served; i++) {
        const fresh = await open(srv.port);
        served = await echoes(fresh).catch(() => false);
        fresh.destroy();
        if (!served) await new Promise((r) => setTimeout(r, 250));
      }
      expect(served, srv.output()).toBe(true);
      bystander.destroy();
      const r = await srv.stop();
      expect(r.output).not.toMatch(/uncaught|cannot go on/);
    }, 240_000);
  });
}
