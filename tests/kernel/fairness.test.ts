// Fairness on the hosted engine: timers and the runaway guard under load.
// tests/boot/fairness.test.ts runs the same fixtures on metal; lateness
// figures are in bench/kernel (timer-lateness).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runScenario } from '../support/scenario-runner.ts';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures/fairness', name);

describe('fairness, hosted', () => {
  it('a due timer fires beside busy processes; processes that yield are never runaways', async () => {
    const r = await runScenario(fixture('timers.ts'), 'quickjs');
    expect(r.output).toBe(
      'sleeper beside a busy server: woke often\nbusy server ran on\n1 s sleep beside senders: fired\nsenders that yield: all alive\n',
    );
    expect(r.code).toBe(0);
  });
});
