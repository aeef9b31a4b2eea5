// The prelude against Node itself: console formatting matches util.format,
// and timer ordering matches Node's own timers on the same program.
import { describe, expect, it, vi } from 'vitest';
import { format as nodeFormat } from 'node:util';
import { createNodeHost } from '../support/node-host.ts';

type Api = {
  setTimeout: (fn: () => void, ms?: number) => unknown;
  clearTimeout: (id: unknown) => void;
  setInterval: (fn: () => void, ms?: number) => unknown;
  clearInterval: (id: unknown) => void;
  queueMicrotask: (fn: () => void) => void;
};

/** A program exercising the ordering rules; it logs into `log`. Its timers
 *  are set in the order of their delays, and the later ones from the
 *  callbacks before them, so that no stall of a busy machine can reorder
 *  them (a 10 ms timeout set after a 20 ms interval, or a 50 ms one among the
 *  interval's firings, raced; see tests/platform/fixtures/conformance.ts). */
function program(api: Api, log: string[], done: () => void): void {
  api.setTimeout(() => log.push('t0a'), 0);
  api.setTimeout(() => {
    log.push('t0b');
    Promise.resolve().then(() => log.push('micro in t0b'));
    api.queueMicrotask(() => log.push('qm in t0b'));
  }, 0);
  api.setTimeout(() => log.push('t1c'), 1);
  api.setTimeout(() => log.push('tneg'), -5);
  api.setTimeout(() => log.push('tnan'), NaN);
  const dead = api.setTimeout(() => log.push('cleared!'), 2);
  api.clearTimeout(dead);
  api.clearTimeout(undefined);
  api.setTimeout(() => {
    log.push('t10');
    api.setTimeout(() => {
      log.push('t10+0');
      let n = 0;
      const iv = api.setInterval(() => {
        log.push(`iv${n}`);
        if (++n === 3) {
          api.clearInterval(iv);
          api.setTimeout(done, 50); // a fourth firing, were the interval not cleared, would come first
        }
      }, 20);
    }, 0);
  }, 10);
  Promise.resolve().then(() => log.push('micro1'));
  log.push('sync end');
}

function runInNode(): Promise<string[]> {
  return new Promise((resolve) => {
    const log: string[] = [];
    program(globalThis as unknown as Api, log, () => resolve(log));
  });
}

describe('prelude timers', () => {
  it('orders callbacks and promise jobs as Node does', async () => {
    vi.resetModules();
    const { timerGlobals } = await import('../../kernel/prelude.ts');
    const host = createNodeHost();
    const ours: string[] = [];
    await host.run(() => program(timerGlobals as unknown as Api, ours, () => ours.push('done')));
    const node = await runInNode();
    expect(ours.slice(0, -1)).toEqual(node);
    expect(ours).toContain('iv2');
    expect(ours).not.toContain('cleared!');
  });

  it('under virtual time, takes no real time and keeps order', async () => {
    vi.resetModules();
    const { timerGlobals } = await import('../../kernel/prelude.ts');
    const host = createNodeHost({ virtualTime: true });
    const log: string[] = [];
    const t0 = Date.now();
    await host.run(() => {
      timerGlobals.setTimeout(() => log.push(`b ${Math.floor(host.platform.monotonicMs() / 1000)}`), 100_000);
      timerGlobals.setTimeout(() => log.push(`a ${Math.floor(host.platform.monotonicMs() / 1000)}`), 50_000);
    });
    expect(log).toEqual(['a 50', 'b 100']);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('rejects a callback that is not a function', async () => {
    vi.resetModules();
    const { timerGlobals } = await import('../../kernel/prelude.ts');
    const host = createNodeHost({ virtualTime: true });
    let err: unknown;
    await host.run(() => {
      try {
        timerGlobals.setTimeout('code' as unknown, 1);
      } catch (e) {
        err = e;
      }
    });
    expect(String(err)).toMatch(/setTimeout: the "callback" argument must be of type function/);
  });
});

describe('timers.ts', () => {
  it('removes timers from the middle of the heap and keeps (deadline, seq) order', async () => {
    vi.resetModules();
    const { addTimer, removeTimer, pendingTimers } = await import('../../kernel/timers.ts');
    const host = createNodeHost({ virtualTime: true });
    const log: number[] = [];
    await host.run(() => {
      // Virtual time still counts the real time JS runs, and on a busy
      // machine this loop can take milliseconds: a timer added later would
      // then be due later than its delay says. Hold the clock still while
      // adding, so that each deadline is its delay and the order tested is
      // the heap's alone.
      const clock = host.platform.monotonicMs;
      const at = clock();
      host.platform.monotonicMs = () => at;
      const ids: number[] = [];
      for (let i = 0; i < 200; i++) ids.push(addTimer((i * 37) % 50, () => log.push(i)));
      for (let i = 0; i < 200; i += 3) expect(removeTimer(ids[i])).toBe(true);
      expect(removeTimer(ids[0])).toBe(false);
      expect(pendingTimers()).toBe(200 - 67);
      host.platform.monotonicMs = clock;
    });
    const expected = [...Array(200).keys()].filter((i) => i % 3 !== 0).sort((a, b) => ((a * 37) % 50) - ((b * 37) % 50) || a - b);
    expect(log).toEqual(expected);
  });

  it('refuses bad delays', async () => {
    vi.resetModules();
    const { addTimer } = await import('../../kernel/timers.ts');
    const host = createNodeHost({ virtualTime: true });
    await host.run(() => {
      expect(() => addTimer(-1, () => {})).toThrow(/delay must be a finite number >= 0/);
      expect(() => addTimer(NaN, () => {})).toThrow(/finite/);
      expect(() => addTimer(Infinity, () => {})).toThrow(/finite/);
      expect(() => addTimer(1, null as unknown as () => void)).toThrow(/callback must be a function/);
    });
  });
});

describe('console formatting', () => {
  const cases: unknown[][] = [
    ['hello'], [42], [-0], [0.1 + 0.2], [1e21], [NaN], [-Infinity], [true], [null], [undefined], [1n], [-12345678901234567890n],
    [[]], [{}], [[1, 2, 3]], [[1, 2, 3, 4, 5, 6, 7]], [['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']],
    [[1, 'two', null, undefined, true, 3n]], [{ a: 1, b: 'x', c: [1, 2] }], [{ 'key with space': 1, $d: 2, _e: 3, '1a': 4 }],
    [[...Array(30).keys()]], [[...Array(150).keys()]], [['it\'s', 'say "hi"', 'both \' and "', 'nl\nx', 'tab\t', '\u0001', '\\']],
    [{ nested: { deeper: { deepest: { gone: 1 } } } }], [[[1, [2, [3, [4]]]]]],
    [new Map([['a', 1], ['b', 2]])], [new Set([1, 'x'])], [new Date(0)], [new Uint8Array([1, 2, 3])],
    [Object.create(null)], [[1.5, -2, 300, 4000, 50000, 600000, 7]], [{ long: 'x'.repeat(70), other: 1 }],
    [Array(3)], [[1, , 3]], [{ a: [{ b: { c: {} } }] }], [[{ a: 1, b: 2 }, { a: 3, b: 4 }]],
    ['a', 1, 'b', { c: 2 }], ['%s is %d years and %i, %f', 'Bob', 42.5, 42.5, '1.5'], ['%j', { a: [1] }], ['100%% sure', 1], ['%s', 1n], ['%O', [1]],
    ['%d', '12'], ['%s: %s', 'only one'], [Symbol('s')], [[Symbol('x')]], [() => 1], [function named() {}],
    [Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i).repeat(i % 5 + 1))],
  ];
  it('matches util.format byte for byte on simple data', async () => {
    vi.resetModules();
    const { format } = await import('../../kernel/inspect.ts');
    for (const args of cases) expect(format(...args), nodeFormat(...args)).toBe(nodeFormat(...args));
  });

  it('console.log writes one line per call through the platform', async () => {
    vi.resetModules();
    const { makeConsole } = await import('../../kernel/prelude.ts');
    const host = createNodeHost({ virtualTime: true });
    const r = await host.run(() => {
      const c = makeConsole();
      c.log('a', 1, [2]);
      c.error({ e: true });
    });
    expect(r.output).toBe("a 1 [ 2 ]\n{ e: true }\n");
  });
});
