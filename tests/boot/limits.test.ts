// Per-process limits and spawn's atomicity on metal: heap_estimate
// (maxHeapSize judges messages sharing one big string by the heap in use,
// and still kills distinct ones) and spawn_atomic (a spawn whose run queue
// or link cannot be allocated leaves no process), booted as the Node hosts
// run them in tests/kernel/scenarios.test.ts.
import { describe, it } from 'vitest';
import { expectScenarioPassesOnMetal } from '../support/metal-scenario.ts';

describe('limits and spawn on metal', () => {
  for (const scenario of ['heap_estimate', 'spawn_atomic']) {
    it(`pass ${scenario} at 32M, as on the Node hosts`, async () => {
      await expectScenarioPassesOnMetal(scenario, 32 << 20, 170_000);
    }, 180_000);
  }
});
