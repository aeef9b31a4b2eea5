// Fairness on the hosted engine: timers and the runaway guard under load,
// judged in the guest's own terms (a busy process's work between a timer's
// deadline and its wake), so a busy machine cannot fail them.
// tests/boot/fairness.test.ts runs the same fixtures on metal; lateness
// figures are in bench/kernel (timer-lateness).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runScenario } from '../support/scenario-runner.ts';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures/fairness', name);

describe('fairness, hosted', () => {
  it('a due timer fires within two slices of a busy process (counted in its work, not wall time); processes that yield are never runaways', async () => {
    const r = await runScenario(fixture('timers.ts'), 'quickjs');
    expect(r.output).toBe(
      'sleeper beside a busy server: woke 30 times, each within two slices of the server\nbusy server ran on\n3 runawayMs sleep beside senders: fired\nsenders that yield: all alive\n',
    );
    expect(r.code).toBe(0);
  });
});

describe('the start-up guard, hosted', () => {
  it('stops a top-level infinite loop with one line and status 100', async () => {
    const r = await runScenario(fixture('startup-loop.ts'), 'quickjs');
    expect(r.output).toMatch(/^starting\n\[error\] start-up \(the entry module's top level\) ran \d+ ms without yielding \(limit 300 ms, configure startupMs\): stopped\n$/);
    expect(r.code).toBe(100);
  });

  it('lets long start-up work run past runawayMs', async () => {
    const r = await runScenario(fixture('startup-long.ts'), 'quickjs');
    expect(r.output).toBe('start-up work done: true\n');
    expect(r.code).toBe(0);
  });
});
