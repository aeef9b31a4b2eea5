// Fairness on metal: the fixtures of tests/kernel/fairness.test.ts (hosted),
// booted in QEMU.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boot, buildImage } from '../support/guest.ts';

const fixture = (name: string) => join(__dirname, '../kernel/fixtures/fairness', name);

describe('fairness, metal', () => {
  it('a due timer fires beside busy processes; processes that yield are never runaways', async () => {
    const r = await boot(await buildImage(fixture('timers.ts'), 'timers'));
    expect(r.output).toBe(
      'sleeper beside a busy server: woke often\nbusy server ran on\n1 s sleep beside senders: fired\nsenders that yield: all alive\n',
    );
    expect(r.status).toBe(0);
  });
});
