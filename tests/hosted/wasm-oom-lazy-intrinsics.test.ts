// The typed arrays and WeakRef made at their first use
// (qemu/patches/2025-04-26/quickjs-boot-lazy-intrinsics.patch), first used
// with the heap full and then with 16 bytes more room at each try, on the
// wasm engine: every try that cannot make them throws out of memory (or
// null), none traps, and they work once made. Before the fix a creation
// stopped half way went on with a constructor it had freed (105, "memory
// access out of bounds" in JS_DefineProperty < js_add_typed_arrays), and
// some tries threw TypeError "not an object".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../builder/image.ts';
import { runWasm } from '../../builder/hosted/wasm/index.ts';
import { buildImage } from '../support/guest.ts';
import { expectSwept } from './lazy-intrinsics-sweep.ts';

describe('lazy built-ins first used with the heap full, wasm engine', () => {
  it('at 8M: out of memory at every allocation of their creation, never a trap, and they work after', async () => {
    const img = await readImage(readFileSync(await buildImage(join(__dirname, 'fixtures/lazy-intrinsics-sweep.ts'), 'lazy-intrinsics-sweep')));
    const r = await runWasm({ manifest: img.manifest, files: img.files }, { memoryBytes: 8 << 20, timeoutMs: 60_000 });
    expectSwept(r.output);
    expect(r.status, r.output).toBe(0);
  }, 120_000);
});
