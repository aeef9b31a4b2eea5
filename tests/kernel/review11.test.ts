// Review of issue 11's performance series: cases found by the review.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runScenario } from '../support/scenario-runner.ts';

const dir = join(import.meta.dirname, 'fixtures/review11');

describe('issue 11 review', () => {
  it("a gen_server handler that starts a server whose init never yields is killed with it: the slice was the handler's", async () => {
    const r = await runScenario(join(dir, 'init-loop-handler.ts'), 'quickjs');
    const lines = r.output.trimEnd().split('\n');
    expect(lines.filter((l) => /^\[error\] process <0\.\d+\.0> ran \d+ ms without yielding \(limit 200 ms\): killed$/.test(l)).length, r.output).toBe(2);
    expect(lines.filter((l) => !l.startsWith('[')), r.output).toEqual(['outer: killed', 'looper: gone, processes 1']);
    expect(r.code, r.output).toBe(0);
  });
});

describe('issue 11 review: an async handler that awaits a timer', () => {
  for (const engine of ['node', 'quickjs'] as const) {
    it(`is no runaway for the time it waited (${engine})`, async () => {
      const r = await runScenario(join(dir, 'handler-foreign.ts'), engine);
      expect(r.output, r.output).not.toMatch(/without yielding/);
      expect(r.output.trimEnd().split('\n').filter((l) => !l.startsWith('[')), r.output).toEqual(['call: done', 'server: alive']);
      expect(r.code, r.output).toBe(0);
    });
  }
});

describe('issue 11 review: spawn options read through a getter that spawns', () => {
  for (const engine of ['node', 'quickjs'] as const) {
    it(`keep the outer spawn's own options (${engine})`, async () => {
      const r = await runScenario(join(dir, 'spawn-opts-getter.ts'), engine);
      expect(r.output.trimEnd().split('\n').filter((l) => !l.startsWith('[')), r.output).toEqual(['outer: "normal"']);
    });
  }
});

describe('issue 11 review: Supervisor.startChild', () => {
  it("leaves no spec behind when its caller and then its supervisor are killed with the call still queued (quickjs)", async () => {
    const r = await runScenario(join(dir, 'handed-spec-sup-dies.ts'), 'quickjs');
    expect(r.output.split('\n')[0], r.output).toMatch(/^grown under 512 KB after 40 killed callers and supervisors: true \(-?\d+ bytes\)$/);
  });
});

describe('issue 11 review: sys.replaceState', () => {
  it("leaves no function behind when its caller and then its server are killed with the call still queued (quickjs)", async () => {
    const r = await runScenario(join(dir, 'handed-state-fn.ts'), 'quickjs');
    expect(r.output.split('\n')[0], r.output).toMatch(/^grown under 512 KB after 40 killed callers and servers: true \(-?\d+ bytes\)$/);
  });
});

describe('issue 11 review: checked and found right', () => {
  it("every shape of endless loop is stopped by the guard that quickjs-msg-poll.patch polls on backward jumps and calls (quickjs)", async () => {
    const r = await runScenario(join(dir, 'loops.ts'), 'quickjs');
    const lines = r.output.trimEnd().split('\n').filter((l) => !l.startsWith('['));
    expect(lines, r.output).toEqual(['while(true)', 'do-while', 'for with a call', 'if-else chain', 'continue from try/finally', 'labelled continue', 'for-of an endless generator', 'a recursion of 2^40 calls'].map((n) => `${n}: killed`));
  });
  it('the engine fast paths answer as the spec does: QuickJS prints what node prints', async () => {
    const n = await runScenario(join(dir, 'engine.ts'), 'node');
    const q = await runScenario(join(dir, 'engine.ts'), 'quickjs');
    expect(n.output, n.output).toMatch(/^locked: late$/m);
    expect(q.output).toBe(n.output);
  });
  for (const engine of ['node', 'quickjs'] as const) {
    it(`kills, exits and timeouts around the shared BARE waiter (${engine})`, async () => {
      const r = await runScenario(join(dir, 'bare.ts'), engine);
      expect(r.output, r.output).not.toMatch(/^not ok/m);
      expect(r.output.match(/^ok - /gm)?.length, r.output).toBe(5);
      expect(r.code, r.output).toBe(0);
    });
  }
});
