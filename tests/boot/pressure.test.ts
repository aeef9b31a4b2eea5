// Memory pressure on metal: the same fixtures as tests/kernel/pressure.test.ts
// (hosted), booted in QEMU. One process's memory kills that process only.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boot, buildImage } from '../support/guest.ts';
import { PRESSURE_KILL } from '../support/pressure.ts';

const fixture = (name: string) => join(__dirname, '../kernel/fixtures/pressure', name);

describe('memory pressure, metal', () => {
  // At several sizes: where the heap runs out moves with every megabyte, and
  // after an out-of-memory kill the engine must still be whole (it once
  // page-faulted in find_own_property at 9M).
  for (const mb of [8, 9, 10, 11, 12]) {
    it(`a mailbox flood at ${mb}M kills the flooded process, which its supervisor restarts; the node answers`, async () => {
      const r = await boot(await buildImage(fixture('flood.ts'), 'flood'), { memory: mb << 20 });
      expect(r.output).toMatch(PRESSURE_KILL);
      expect(r.output).toContain('sink died: out_of_memory\n');
      expect(r.output).toContain('pong 0\n');
      expect(r.output).toContain('heartbeat alive\n');
      expect(r.status, r.output).toBe(0);
    });
  }

  it('a process that runs out one small allocation at a time dies with out_of_memory, as hosted', async () => {
    const r = await boot(await buildImage(fixture('small-allocs.ts'), 'small-allocs'), { memory: 8 << 20 });
    expect(r.output).toContain('round 0: out_of_memory\n');
    expect(r.output).toContain('round 2: out_of_memory\n');
    expect(r.status, r.output).toBe(0);
  });

  it('filling tables: past maxMemory the insert fails in the caller; a full heap kills the owner, not the node', async () => {
    const r = await boot(await buildImage(fixture('table.ts'), 'table'), { memory: 8 << 20 });
    expect(r.output).toContain('capped: ets.insert: table #Tab<N.N> is full: N bytes, N more would pass its maxMemory (N)\n');
    expect(r.output).toContain('capped table kept every row before\n');
    expect(r.output).toMatch(PRESSURE_KILL);
    // The filler's failure, then the owner's death: other processes' lines
    // (the supervisor's restart report) may come between them.
    expect(r.output).toMatch(/^filler: insert failed\n(?:.*\n)*?owner died: out_of_memory\n/m);
    expect(r.output).toContain('pong 0\n');
    expect(r.status, r.output).toBe(0);
  });
});
