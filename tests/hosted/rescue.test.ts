// The hosted heap's rescue window (alloc.c's OOM_RESCUE, metal's): running out of
// memory one small allocation at a time gives JS a real, catchable error, as
// on metal (tests/boot/boot.test.ts runs the same fixture), never null.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../support/scenario-runner.ts';

describe('the hosted heap runs out as metal does', () => {
  for (const mb of [4, 8, 12]) {
    it(`at ${mb}M small allocations end in a catchable InternalError, and the program goes on`, async () => {
      const r = await runScenario(join(import.meta.dirname, '../boot/fixtures/oom-small.ts'), 'quickjs', mb << 20);
      expect(r.output).toBe('caught InternalError: out of memory after many entries\nstill alive\n');
      expect(r.code).toBe(0);
    });
  }
});
