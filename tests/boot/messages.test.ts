// The message path on metal: the copy scenario (each kind of term deep
// copied, whichever copy made it: qemu/src/host_copy.c, platform ABI 5, or
// the kernel's walk) and the messages scenario, booted as the Node hosts run
// them in tests/kernel/scenarios.test.ts.
import { describe, it } from 'vitest';
import { expectScenarioPassesOnMetal } from '../support/metal-scenario.ts';

describe('messages on metal', () => {
  for (const scenario of ['copy', 'messages']) {
    it(`pass ${scenario} at 32M, as on the Node hosts`, async () => {
      await expectScenarioPassesOnMetal(scenario, 32 << 20, 170_000);
    }, 180_000);
  }
});
