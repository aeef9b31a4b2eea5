// "One crash, one report" (issue 12): a gen_server crash under a supervisor
// prints one crash report with the stack, and one supervisor report; the
// caller that died of it, itself a supervised gen_server, prints its own
// report without that stack again. On both engines.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runScenario, type Engine } from '../support/scenario-runner.ts';

const app = join(import.meta.dirname, 'fixtures/crash_report.ts');

for (const engine of ['node', 'quickjs'] as Engine[]) {
  describe(`crash reports on ${engine}`, () => {
    it('print the stack once: one crash report per server, one supervisor report per child', async () => {
      const r = await runScenario(app, engine);
      expect(r.code, r.output).toBe(0);
      const lines = r.output.split('\n');
      const frames = lines.filter((l) => /^\s+at .*handleCall/.test(l));
      expect(frames, r.output).toHaveLength(1);
      expect(lines.filter((l) => /gen_server <0\.\d+\.0> terminating, reason: Error: kaboom$/.test(l)), r.output).toHaveLength(1);
      expect(lines.filter((l) => /gen_server <0\.\d+\.0> terminating, reason: \{ exit: 'Error: kaboom', call: 'a' \}$/.test(l)), r.output).toHaveLength(1);
      expect(lines.filter((l) => /supervisor <0\.\d+\.0>: child a \(<0\.\d+\.0>\) exited: Error: kaboom; restarting$/.test(l)), r.output).toHaveLength(1);
      expect(lines.filter((l) => /supervisor <0\.\d+\.0>: child b \(<0\.\d+\.0>\) exited: \{ exit: 'Error: kaboom', call: 'a' \}; restarting$/.test(l)), r.output).toHaveLength(1);
      expect(r.output.match(/kaboom/g), r.output).toHaveLength(4);
    });
  });
}
