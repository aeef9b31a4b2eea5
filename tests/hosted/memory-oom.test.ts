// The platform's memory() with the heap full (qemu/src/host_api.c,
// api_memory): out of memory where its object or a field cannot be made,
// else every figure. Before, a failed creation came out as TypeError "not
// an object", and a field that could not be added left the object without
// it (heapUsed undefined: the kernel's heapShort then said no).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../builder/image.ts';
import { runWasm } from '../../builder/hosted/wasm/index.ts';
import { buildImage } from '../support/guest.ts';

describe('memory() with the heap full, wasm engine', () => {
  it('at 8M: the figures, or out of memory, nothing else', async () => {
    const img = await readImage(readFileSync(await buildImage(join(__dirname, 'fixtures/memory-oom.ts'), 'memory-oom')));
    const r = await runWasm({ manifest: img.manifest, files: img.files }, { memoryBytes: 8 << 20, timeoutMs: 60_000 });
    expect(r.output).toBe('figures; out of memory\n');
    expect(r.status, r.output).toBe(0);
  }, 120_000);
});
