// An await kept in the promise it awaits (its awaiter:
// qemu/patches/2025-04-26/quickjs-suspend-await.patch) whose resume job
// cannot be allocated when the promise settles, the heap full, on the wasm
// engine and on metal: the function still resumes, once, when the job
// runner next runs (quickjs-suspend-job.patch). Before, the awaiter was
// dropped and the function never resumed: an actor's body waiting in
// receive hung for ever.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../builder/image.ts';
import { runWasm } from '../../builder/hosted/wasm/index.ts';
import { boot, buildImage } from '../support/guest.ts';

const fixture = join(__dirname, 'fixtures/awaiter-oom.ts');
const expected = /^settled with the heap full: (\d+) of 96; resumed (\d+), twice 0\n$/;

function check(output: string): void {
  const m = expected.exec(output);
  expect(m, output).not.toBeNull();
  expect(Number(m![1]), output).toBeGreaterThan(0); // some settles found room: the check below counts something
  expect(Number(m![2]), output).toBe(Number(m![1]));
}

describe('a kept await whose resume job finds the heap full', () => {
  for (const mb of [8, 9]) {
    it(`wasm engine, ${mb}M: every settled await resumes once`, async () => {
      const img = await readImage(readFileSync(await buildImage(fixture, 'awaiter-oom')));
      const r = await runWasm({ manifest: img.manifest, files: img.files }, { memoryBytes: mb << 20, timeoutMs: 60_000 });
      check(r.output);
      expect(r.status, r.output).toBe(0);
    }, 120_000);
  }

  it('metal, 8M: the same', async () => {
    // 96 fills of an 8 MiB heap under TCG, as await-oom's.
    const r = await boot(await buildImage(fixture, 'awaiter-oom'), { memory: 8 << 20, timeoutMs: 240_000 });
    check(r.output);
    expect(r.status, r.output).toBe(0);
  }, 300_000);
});
