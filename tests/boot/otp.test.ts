// The OTP cases on metal: the boot layer's QuickJS (2021-03-27) runs the
// scenarios ported from OTP's suites (tests/kernel/fixtures/scenarios/otp_*.ts)
// as the Node hosts run them in tests/kernel/scenarios.test.ts.
import { describe, it } from 'vitest';
import { expectScenarioPassesOnMetal } from '../support/metal-scenario.ts';

describe('the OTP cases on metal', () => {
  for (const suite of ['otp_supervisor', 'otp_gen_server', 'otp_ets', 'otp_process']) {
    it(`pass ${suite} at 32M, as on the Node hosts`, async () => {
      await expectScenarioPassesOnMetal(suite, 32 << 20, 170_000);
    }, 180_000);
  }
});
