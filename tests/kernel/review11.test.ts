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
