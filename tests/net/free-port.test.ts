// The test port picker: ports no listen(0) can be given, never one in use.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, releasePorts } from '../support/free-port.ts';

const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

describe('freePort', () => {
  it('gives ports below the ephemeral range, which listen(0) never hands out', async () => {
    for (let i = 0; i < 20; i++) expect(await freePort()).toBeLessThan(ephemeralLow);
    const held = createServer();
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', r));
    expect((held.address() as { port: number }).port).toBeGreaterThanOrEqual(ephemeralLow);
    held.close();
  });

  it('skips a port another socket holds, for TCP and UDP', async () => {
    const port = await freePort();
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(port, '127.0.0.1', r));
    try {
      // A whole turn of the worker's slice (400 ports) comes back to `port`.
      const seen = new Set<number>();
      for (let i = 0; i < 401; i++) seen.add(await freePort());
      expect(seen.has(port)).toBe(false);
      // Every other port of the slice, but for any another program holds
      // meanwhile (a second suite run's worker of the same number has this slice too).
      expect(seen.size).toBeGreaterThan(390);
      expect(seen.size).toBeLessThanOrEqual(399);
    } finally {
      holder.close();
    }
    expect(await freePort('udp')).toBeLessThan(ephemeralLow);
  });

  it("skips a port another suite run has claimed (a live process's claim file), and takes one whose process is gone", async () => {
    const port = await freePort();
    releasePorts();
    const claim = `/tmp/mote-test-ports/${port}`;
    writeFileSync(claim, '1'); // init: alive for as long as the machine is
    try {
      const seen = new Set<number>();
      for (let i = 0; i < 401; i++) seen.add(await freePort());
      expect(seen.has(port)).toBe(false);
      releasePorts();
      writeFileSync(claim, '2147483646'); // no such process
      const again = new Set<number>();
      for (let i = 0; i < 401; i++) again.add(await freePort());
      expect(again.has(port)).toBe(true);
    } finally {
      releasePorts();
      rmSync(claim, { force: true });
    }
  });
});
