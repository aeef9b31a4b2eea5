// The Web API scenario on metal: the boot layer's QuickJS (2021-03-27) runs
// the same cases the Node hosts run in tests/kernel/scenarios.test.ts.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { boot, buildImage } from '../support/guest.ts';
import { parseReport } from '../support/scenario-runner.ts';

describe('the Web APIs on metal', () => {
  it('pass the web scenario at 8M, as on the Node hosts', async () => {
    const image = await buildImage(join(import.meta.dirname, '../kernel/fixtures/scenarios/web.ts'), 'web');
    const r = await boot(image, { memory: 8 << 20, timeoutMs: 100_000 });
    const report = parseReport(r.output);
    expect(report.failed, r.output).toEqual([]);
    expect(report.plan, r.output).toBeGreaterThan(0);
    expect(report.passed.length, r.output).toBe(report.plan);
    expect(r.status, r.output).toBe(0);
  }, 110_000);
});
