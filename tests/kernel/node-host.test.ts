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
});
