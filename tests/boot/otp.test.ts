// The OTP cases on metal: the boot layer's QuickJS (2021-03-27) runs the
// scenarios ported from OTP's suites (tests/kernel/fixtures/scenarios/otp_*.ts)
// as the Node hosts run them in tests/kernel/scenarios.test.ts.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { boot, buildImage } from '../support/guest.ts';
import { parseReport } from '../support/scenario-runner.ts';

describe('the OTP cases on metal', () => {
  for (const suite of ['otp_supervisor', 'otp_gen_server', 'otp_ets', 'otp_process']) {
    it(`pass ${suite} at 32M, as on the Node hosts`, async () => {
      const image = await buildImage(join(import.meta.dirname, `../kernel/fixtures/scenarios/${suite}.ts`), suite);
      const r = await boot(image, { memory: 32 << 20, timeoutMs: 170_000 });
      const report = parseReport(r.output);
      expect(report.failed, r.output).toEqual([]);
      expect(report.plan, r.output).toBeGreaterThan(0);
      expect(report.passed.length, r.output).toBe(report.plan);
      expect(r.status, r.output).toBe(0);
    }, 180_000);
  }
});
