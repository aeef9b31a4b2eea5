// Memory pressure on the hosted engine: one process's memory kills that
// process only (kernel/pressure.ts). tests/boot/pressure.test.ts runs the
// same fixtures on metal.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runScenario } from '../support/scenario-runner.ts';
import { PRESSURE_KILL } from '../support/pressure.ts';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures/pressure', name);

describe('memory pressure, hosted', () => {
  for (const mb of [8, 12]) {
    it(`a mailbox flood at ${mb}M kills the flooded process, which its supervisor restarts; the node answers`, async () => {
      const r = await runScenario(fixture('flood.ts'), 'quickjs', mb << 20);
      expect(r.output).toMatch(PRESSURE_KILL);
      expect(r.output).toContain('sink died: out_of_memory\n');
      expect(r.output).toContain('pong 0\n');
      expect(r.output).toContain('heartbeat alive\n');
      expect(r.code, r.output).toBe(0);
    });
  }

  it('a process that runs out one small allocation at a time dies with out_of_memory, as on metal', async () => {
    const r = await runScenario(fixture('small-allocs.ts'), 'quickjs', 8 << 20);
    expect(r.output).toContain('round 0: out_of_memory\n');
    expect(r.output).toContain('round 2: out_of_memory\n');
    expect(r.code, r.output).toBe(0);
  });

  it('filling tables: past maxMemory the insert fails in the caller; a full heap kills the owner, not the node', async () => {
    const r = await runScenario(fixture('table.ts'), 'quickjs', 8 << 20);
    expect(r.output).toContain('capped: ets.insert: table #Tab<N.N> is full: N bytes, N more would pass its maxMemory (N)\n');
    expect(r.output).toContain('capped table kept every row before\n');
    expect(r.output).toMatch(PRESSURE_KILL);
    // The filler's failure, then the owner's death: the supervisor's restart report may come between.
    expect(r.output).toMatch(/^filler: insert failed\n(?:.*\n)*?owner died: out_of_memory\n/m);
    expect(r.output).toContain('pong 0\n');
    expect(r.code, r.output).toBe(0);
  });
});
