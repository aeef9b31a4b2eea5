// A built-in whose lazy creation fails for want of memory is created at its
// next use, on the wasm engine (qemu/patches/quickjs-autoinit-retry.patch;
// before it, QuickJS left the global Math undefined for good).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../builder/image.ts';
import { runWasm } from '../../builder/hosted/wasm/index.ts';
import { buildImage } from '../support/guest.ts';

describe('a built-in first used with the heap full, wasm engine', () => {
  for (const mb of [8, 12]) {
    it(`at ${mb}M: its creation fails with out of memory, and it is there once the heap is free`, async () => {
      const img = await readImage(readFileSync(await buildImage(join(__dirname, 'fixtures/autoinit-oom.ts'), 'autoinit-oom')));
      const r = await runWasm({ manifest: img.manifest, files: img.files }, { memoryBytes: mb << 20, timeoutMs: 60_000 });
      expect(r.output).toBe('first use with the heap full: out of memory\nafter: Math.hypot is function\n');
      expect(r.status).toBe(0);
    }, 120_000);
  }
});
