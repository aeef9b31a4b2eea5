// Console input through the kernel (kernel/console_input.ts) on the node
// host: lines, raw reads, the end of input, timeouts, turns, and the node
// stopping when nobody reads.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Mote from '../../kernel/index.ts';
import { createNodeHost } from '../support/node-host.ts';

// Each case gets a fresh kernel: the end of input is for the node's life.
let spawn: typeof Mote.spawn, stdin: typeof Mote.stdin, TIMEOUT: typeof Mote.TIMEOUT, exit: typeof Mote.exit, sleep: typeof Mote.sleep;
beforeEach(async () => {
  vi.resetModules();
  ({ spawn, stdin, TIMEOUT, exit, sleep } = await import('../../kernel/index.ts'));
});

async function session(input: string[], body: () => Promise<unknown>, virtualTime = false) {
  const host = createNodeHost({ input, virtualTime });
  const seen: unknown[] = [];
  const r = await host.run(() => {
    spawn(async () => {
      seen.push(await body());
    });
  });
  return { code: r.code, seen: seen[0], asked: host };
}

describe('stdin', () => {
  it('readLine splits at \\n, \\r\\n and \\r, across chunks, and gives null from the end on', async () => {
    const { seen, code } = await session(['one\r', '\ntwo\nthr', 'ee\rlast', '\x04ignored'], async () => {
      const lines = [];
      for (let i = 0; i < 6; i++) lines.push(await stdin.readLine());
      return lines;
    });
    expect(seen).toEqual(['one', 'two', 'three', 'last', null, null]);
    expect(code).toBe(0);
  });

  it('read gives what came, as typed, then null at the end', async () => {
    const { seen } = await session(['a', '\x1b[A', 'b\r\x04'], async () => [await stdin.read(), await stdin.read(), await stdin.read(), await stdin.read()]);
    expect(seen).toEqual(['a', '\x1b[A', 'b\r', null]);
  });

  it('a timeout is TIMEOUT, and the input that comes later goes to the next request', async () => {
    const { seen } = await session([], async () => {
      const first = await stdin.read({ timeout: 50 });
      return [first === TIMEOUT];
    }, true);
    expect(seen).toEqual([true]);
  });

  it('requests are served in turn, one piece each', async () => {
    const host = createNodeHost({ input: ['a\nb\nc\n\x04'] });
    const got: string[] = [];
    await host.run(() => {
      for (const who of ['p1', 'p2']) {
        spawn(async () => {
          for (;;) {
            const l = await stdin.readLine();
            if (l === null) return;
            got.push(`${who}:${l}`);
          }
        });
      }
    });
    expect(got.sort()).toEqual(['p1:a', 'p1:c', 'p2:b'].sort());
    expect(got.length).toBe(3);
  });

  it('the node stops when nobody waits for input, leaving it unread', async () => {
    const host = createNodeHost({ input: ['first\nsecond\n'] });
    const got: unknown[] = [];
    const r = await host.run(() => {
      spawn(async () => {
        got.push(await stdin.readLine());
        await sleep(1);
      });
    });
    expect(got).toEqual(['first']);
    expect(r.code).toBe(0);
  });

  it('unread puts text back in front, for the next request', async () => {
    const { seen } = await session(['ab\ncd\n'], async () => {
      const first = await stdin.read();
      stdin.unread((first as string).slice(3));
      stdin.unread('x');
      return [first, await stdin.readLine()];
    });
    expect(seen).toEqual(['ab\ncd\n', 'xcd']);
  });

  it('a process that dies waiting gives up its place', async () => {
    const host = createNodeHost({ input: ['x\n'] });
    const got: unknown[] = [];
    await host.run(() => {
      const dying = spawn(async () => {
        got.push(['dying', await stdin.readLine()]);
      });
      spawn(async () => {
        exit(dying, 'kill');
        await sleep(1);
        got.push(['alive', await stdin.readLine()]);
      });
    });
    expect(got).toEqual([['alive', 'x']]);
  });
});

describe('stdin.trapInterrupt', () => {
  beforeEach(async () => {
    vi.resetModules();
    ({ spawn, stdin, TIMEOUT, exit, sleep } = await import('../../kernel/index.ts'));
  });

  it('turns each Ctrl-C that comes into a message, in order, keeps the other keys, and reads while nobody does', async () => {
    const { receive } = await import('../../kernel/index.ts');
    const host = createNodeHost({ input: ['a\x03b', '\x03c\n\x04'] });
    const got: unknown[] = [];
    await host.run(() => {
      spawn(async () => {
        expect(stdin.trapInterrupt(true)).toBe(false);
        got.push(await receive({ type: 'stdin_interrupt' })); // heard with no read waiting
        got.push(await receive({ type: 'stdin_interrupt' }));
        expect(stdin.trapInterrupt(false)).toBe(true);
        got.push(await stdin.readLine(), await stdin.readLine());
      });
    });
    expect(got).toEqual([{ type: 'stdin_interrupt' }, { type: 'stdin_interrupt' }, 'abc', null]);
  });
});
