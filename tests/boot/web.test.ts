// The Web APIs on metal: the boot layer's QuickJS (2021-03-27) runs the same
// scenario the Node hosts run in tests/kernel/scenarios.test.ts, and
// crypto's entropy comes from a real source or not at all.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { boot, buildImage } from '../support/guest.ts';
import { expectScenarioPassesOnMetal } from '../support/metal-scenario.ts';

describe('the Web APIs on metal', () => {
  it('pass the web scenario at 8M, as on the Node hosts', async () => {
    await expectScenarioPassesOnMetal('web', 8 << 20, 100_000);
  }, 110_000);

  for (const machine of ['microvm', 'pc'] as const) {
    it(`draw random bytes from the virtio-rng device on ${machine} (TCG's CPU has no RDRAND), and differ from boot to boot`, async () => {
      const image = await buildImage(join(import.meta.dirname, 'fixtures/random.ts'), 'random');
      const a = await boot(image, { machine });
      const b = await boot(image, { machine });
      expect(a.output).toMatch(/^random [0-9a-f]{8}\n$/);
      expect(b.output).toMatch(/^random [0-9a-f]{8}\n$/);
      expect(a.output).not.toBe(b.output);
    }, 60_000);
  }

  it('refuse, with a message that says what to add, on a machine with no entropy source', async () => {
    const image = await buildImage(join(import.meta.dirname, 'fixtures/random.ts'), 'random');
    const r = await boot(image, { rng: false, accel: 'tcg' });
    expect(r.output).toMatch(/^error random: this machine has no entropy source: .*virtio-rng-device.*\n$/);
    expect(r.status).toBe(0);
  }, 60_000);
});
