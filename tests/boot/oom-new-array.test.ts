// `new Array(n)` with the heap full, on metal: the array's property array is
// allocated after its object (qemu/patches/2025-04-26/quickjs-proc-empty-props.patch),
// and when that allocation failed QuickJS wrote the length through a null
// pointer (a page fault at address 0, status 105). Now the array's creation
// throws out of memory like any other.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boot, buildImage } from '../support/guest.ts';

describe('new Array with the heap full, metal', () => {
  it('at 8M: out of memory is thrown, never a fault', async () => {
    const r = await boot(await buildImage(join(__dirname, 'fixtures/oom-new-array.ts'), 'oom-new-array'), { memory: 8 << 20 });
    expect(r.output).toBe('new Array with the heap full: out of memory, then 3\n');
    expect(r.status, r.output).toBe(0);
  });
});
