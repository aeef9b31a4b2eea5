// The typed arrays and WeakRef made at their first use, first used with the
// heap full and then with 16 bytes more room at each try, on metal (the
// fixture and expectation of tests/hosted/wasm-oom-lazy-intrinsics.test.ts):
// out of memory at every try that cannot make them, never a page fault, and
// they work once made.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectSwept } from '../hosted/lazy-intrinsics-sweep.ts';
import { boot, buildImage } from '../support/guest.ts';

describe('lazy built-ins first used with the heap full, metal', () => {
  it('at 8M: out of memory at every allocation of their creation, never a fault, and they work after', async () => {
    const r = await boot(await buildImage(join(__dirname, '../hosted/fixtures/lazy-intrinsics-sweep.ts'), 'lazy-intrinsics-sweep'), { memory: 8 << 20, timeoutMs: 240_000 });
    expectSwept(r.output);
    expect(r.status, r.output).toBe(0);
  }, 300_000);
});
