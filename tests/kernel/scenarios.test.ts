// Runs every scenario under tests/kernel/scenarios/ twice: in plain Node (vm
// context, node host) and inside QuickJS (the hosted runner). Every case of
// the plan must print `ok`, and the run must halt with status 0.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseReport, runScenario, type Engine } from '../support/scenario-runner.ts';

const dir = join(import.meta.dirname, 'fixtures/scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'harness.ts');

/** Lines a scenario must also print (log lines the cases cannot see). */
const mustPrint: Record<string, RegExp[]> = {
  limits: [/^\[error\] process <0\.\d+\.0> ran \d+ ms without yielding \(limit 100 ms\): killed$/m],
  // Each runaway is named in its own log line, and nothing else is blamed.
  runaway_bystander: [
    /^\[error\] process (<0\.\d+\.0>) ran \d+ ms without yielding \(limit 100 ms\): killed\n(?:(?!\[error\])[^\n]*\n)*?runaway was \1$/m,
    /^\[error\] process (<0\.\d+\.0>) ran \d+ ms without yielding \(limit 100 ms\): killed\n(?:(?!\[error\])[^\n]*\n)*?second runaway was \1$/m,
    /^(?![^]*(?:^|\n)\[error\] <0\.\d+\.0> process <)/, // no process logged as another's runaway
  ],
  services: [/^\[warning\] <0\.\d+\.0> visible warning \{ n: 1 \}$/m],
  otp_gen_server: [
    /^\[notice\] <0\.\d+\.0> \*DBG\* got call from <0\.\d+\.0>: started_p$/m,
    /^\[notice\] <0\.\d+\.0> \*DBG\* sent reply to <0\.\d+\.0>, new state traced$/m,
    /^\[notice\] <0\.\d+\.0> \*DBG\* got cast \{ handle_cast: <0\.\d+\.0> \}$/m,
  ],
};

for (const engine of ['node', 'quickjs'] as Engine[]) {
  describe(`scenarios on ${engine}`, () => {
    for (const f of files) {
      it(f.replace(/\.ts$/, ''), async () => {
        const r = await runScenario(join(dir, f), engine);
        const rep = parseReport(r.output);
        expect(rep.failed, r.output).toEqual([]);
        expect(rep.plan, r.output).toBeGreaterThan(0);
        expect(rep.passed.length, r.output).toBe(rep.plan);
        expect(r.code, r.output).toBe(0);
        for (const re of mustPrint[f.replace(/\.ts$/, '')] ?? []) expect(r.output).toMatch(re);
        expect(r.output, 'hidden info must be filtered').not.toMatch(/hidden info/);
      });
    }
  });
}
