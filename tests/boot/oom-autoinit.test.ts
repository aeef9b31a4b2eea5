// A built-in whose lazy creation fails for want of memory is created at its
// next use, on metal (qemu/patches/quickjs-autoinit-retry.patch; the same
// fixture as tests/hosted/wasm-oom-autoinit.test.ts).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boot, buildImage } from '../support/guest.ts';

describe('a built-in first used with the heap full, metal', () => {
  it('at 8M: its creation fails with out of memory, and it is there once the heap is free', async () => {
    const r = await boot(await buildImage(join(__dirname, '../hosted/fixtures/autoinit-oom.ts'), 'autoinit-oom'), { memory: 8 << 20 });
    expect(r.output).toContain('first use with the heap full: out of memory\nafter: Math.hypot is function\n');
    expect(r.status, r.output).toBe(0);
  });
});
