// Memory pressure on the wasm engine: the fixtures tests/boot/pressure.test.ts
// boots in QEMU, with metal's expectations. The heap, its counting and the
// out-of-memory rescue window are the boot layer's own C (alloc.c, host.c),
// so a full heap kills the process that held the most, with out_of_memory,
// never null, never a trap, and the node answers on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../builder/image.ts';
import { runWasm } from '../../builder/hosted/wasm/index.ts';
import { buildImage } from '../support/guest.ts';
import { PRESSURE_KILL } from '../support/pressure.ts';

const fixture = (name: string) => join(__dirname, '../kernel/fixtures/pressure', name);

async function run(name: string, mb: number) {
  const img = await readImage(readFileSync(await buildImage(fixture(name), name.replace('.ts', ''))));
  return runWasm({ manifest: img.manifest, files: img.files }, { memoryBytes: mb << 20, timeoutMs: 60_000 });
}

describe('memory pressure, wasm engine', () => {
  for (const mb of [8, 9, 10, 11, 12]) {
    it(`a mailbox flood at ${mb}M kills the flooded process, which its supervisor restarts; the node answers`, async () => {
      const r = await run('flood.ts', mb);
      expect(r.output).toMatch(PRESSURE_KILL);
      expect(r.output).toContain('sink died: out_of_memory\n');
      expect(r.output).toContain('pong 0\n');
      expect(r.output).toContain('heartbeat alive\n');
      expect(r.status, r.output).toBe(0);
    });
  }

  it('a process that runs out one small allocation at a time dies with out_of_memory', async () => {
    const r = await run('small-allocs.ts', 8);
    expect(r.output).toContain('round 0: out_of_memory\n');
    expect(r.output).toContain('round 2: out_of_memory\n');
    expect(r.status, r.output).toBe(0);
  });

  it('filling tables: past maxMemory the insert fails in the caller; a full heap kills the owner, not the node', async () => {
    const r = await run('table.ts', 8);
    expect(r.output).toContain('capped: ets.insert: table #Tab<N.N> is full: N bytes, N more would pass its maxMemory (N)\n');
    expect(r.output).toContain('capped table kept every row before\n');
    expect(r.output).toMatch(PRESSURE_KILL);
    // The filler's failure, then the owner's death: the supervisor's restart report may come between.
    expect(r.output).toMatch(/^filler: insert failed\n(?:.*\n)*?owner died: out_of_memory\n/m);
    expect(r.output).toContain('pong 0\n');
    expect(r.status, r.output).toBe(0);
  });
});
