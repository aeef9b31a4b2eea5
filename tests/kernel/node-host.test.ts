// The plain-Node host itself: exit codes through halt, uncaught errors, and
// that the kernel stops all work once halted.
import { describe, expect, it, vi } from 'vitest';
import { createNodeHost } from '../support/node-host.ts';
import { Exit } from '../../kernel/platform.ts';

async function kernel() {
  vi.resetModules();
  return import('../../kernel/index.ts');
}

describe('node host', () => {
  it('halt(n) from inside a process stops the loop with n; nothing runs after', async () => {
    const k = await kernel();
    const host = createNodeHost({ virtualTime: true });
    let after = 0;
    const r = await host.run(() => {
      k.spawn(async () => {
        await k.sleep(10);
        k.halt(7);
      });
      k.spawn(async () => {
        await k.sleep(20);
        after++;
      });
    });
    expect(r.code).toBe(7);
    expect(after).toBe(0);
  });

  it('an exception escaping the entry stops with Exit.Uncaught', async () => {
    const host = createNodeHost({ virtualTime: true });
    const r = await host.run(() => {
      throw new Error('entry failed');
    });
    expect(r.code).toBe(Exit.Uncaught);
    expect(r.output).toContain('entry failed');
  });

  it('a loop with nothing left to do stops with 0', async () => {
    const k = await kernel();
    const host = createNodeHost({ virtualTime: true });
    const r = await host.run(() => {
      k.spawn(async () => {
        await k.sleep(5);
      });
    });
    expect(r.code).toBe(0);
  });

  it('kernel calls outside a process fail clearly', async () => {
    const k = await kernel();
    const host = createNodeHost({ virtualTime: true });
    await host.run(() => {
      expect(() => k.self()).toThrow(/self: not inside a process/);
      expect(() => k.receive()).toThrow(/receive: not inside a process/);
      expect(() => k.halt(-1)).toThrow(/halt: code must be an integer 0\.\.99/);
    });
  });
  it('counts the heap from its own start: a worker holding 60 MiB still takes connections', async () => {
    // What earlier test files leave in the worker is not the run's: with a
    // fixed 64 MiB limit this heap was over 3/4 full, and sockets refused.
    const ballast = Array.from({ length: 700_000 }, (_, i) => ({ i, s: `x${i}` }));
    expect(process.memoryUsage().heapUsed).toBeGreaterThan(48 << 20);
    const k = await kernel();
    const host = createNodeHost({ virtualTime: true });
    const m = host.platform.memory();
    expect(m.heapUsed * 4).toBeLessThan(m.heapLimit * 3);
    expect(m.heapLimit).toBeLessThanOrEqual(m.totalRam);
    const r = await host.run(() => {
      k.spawn(async () => {
        const ls = await k.gen_tcp.listen(0);
        if ('error' in ls) return k.halt(3);
        const port = k.gen_tcp.port(ls.ok);
        if ('error' in port) return k.halt(4);
        k.spawn(async () => {
          const c = await k.gen_tcp.connect('127.0.0.1', port.ok);
          if ('ok' in c) await k.gen_tcp.send(c.ok, 'hi');
        });
        const conn = await k.gen_tcp.accept(ls.ok, 10_000);
        if ('error' in conn) return k.halt(5);
        const got = await k.gen_tcp.recv(conn.ok, 2, 10_000);
        k.halt('ok' in got && got.ok.text() === 'hi' ? 0 : 6);
      });
    });
    expect(r.code, r.output).toBe(0);
    expect(ballast.length).toBe(700_000); // held to here
  });
});
