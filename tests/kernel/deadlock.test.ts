// A node whose processes all wait with nothing that could wake them stops
// with status 0, as before, but says so in one notice line (kernel/deadlock.ts);
// one whose processes all ended says nothing.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runScenario, type Engine } from '../support/scenario-runner.ts';

const dir = join(import.meta.dirname, 'fixtures/deadlock');
const NOTICE = /^\[notice\] node: (\d+) process(es)? waiting, with nothing that could wake them \(no timer, no input asked for, no socket\): stopping$/m;

for (const engine of ['node', 'quickjs'] as Engine[]) {
  describe(`a stuck node on ${engine}`, () => {
    it('names how many processes were waiting, after the last timer, status 0', async () => {
      const r = await runScenario(join(dir, 'stuck.ts'), engine);
      expect(r.output).toMatch(/^timer done\n\[notice\] node: 3 processes waiting/m);
      expect(r.output.match(new RegExp(NOTICE, 'gm'))?.length, r.output).toBe(1);
      expect(r.code).toBe(0);
    });

    it('a node whose processes all ended says nothing', async () => {
      const r = await runScenario(join(dir, 'done.ts'), engine);
      expect(r.output).toBe('pong\n');
      expect(r.code).toBe(0);
    });
  });
}
