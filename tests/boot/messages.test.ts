// The message path on metal: the copy scenario (each kind of term deep
// copied, whichever copy made it: qemu/src/host_copy.c, platform ABI 5, or
// the kernel's walk) and the messages scenario, booted as the Node hosts run
// them in tests/kernel/scenarios.test.ts.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { boot, buildImage } from '../support/guest.ts';
import { parseReport } from '../support/scenario-runner.ts';

describe('messages on metal', () => {
  for (const scenario of ['copy', 'messages']) {
    it(`pass ${scenario} at 32M, as on the Node hosts`, async () => {
      const image = await buildImage(join(import.meta.dirname, `../kernel/fixtures/scenarios/${scenario}.ts`), scenario);
      const r = await boot(image, { memory: 32 << 20, timeoutMs: 170_000 });
      const report = parseReport(r.output);
      expect(report.failed, r.output).toEqual([]);
      expect(report.plan, r.output).toBeGreaterThan(0);
      expect(report.passed.length, r.output).toBe(report.plan);
      expect(r.status, r.output).toBe(0);
    }, 180_000);
  }
});
