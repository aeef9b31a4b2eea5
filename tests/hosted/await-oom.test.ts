// An await whose reaction cannot be allocated (the heap full), on the wasm
// engine and on metal: its function fails with out of memory, and the
// promise it awaited counts as handled
// (qemu/patches/2025-04-26/quickjs-resume-then-fails.patch). Before, that
// promise, rejected, stayed unhandled and the host stopped with 100
// ("unhandled promise rejection"), where the awaiting function's own
// failure was handled: images/aco at its least RAM, an async call that ran
// the heap out awaited with the heap still full. And an await whose
// reaction was made but whose job could not be queued resumes
// (quickjs-suspend-job.patch): it was dropped, its call never settled (18
// and 24 of 96 at 9 and 8 MiB without the patch).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../builder/image.ts';
import { runWasm } from '../../builder/hosted/wasm/index.ts';
import { boot, buildImage } from '../support/guest.ts';

const fixture = join(__dirname, 'fixtures/await-oom.ts');
const expected = 'await with the heap full: out of memory; awaited; a call failed; every call settled\n';

describe('an await with the heap full', () => {
  for (const mb of [8, 9]) {
    it(`wasm engine, ${mb}M: the await fails with out of memory, no rejection is left unhandled, every call settles`, async () => {
      const img = await readImage(readFileSync(await buildImage(fixture, 'await-oom')));
      const r = await runWasm({ manifest: img.manifest, files: img.files }, { memoryBytes: mb << 20, timeoutMs: 60_000 });
      expect(r.output).toBe(expected);
      expect(r.status, r.output).toBe(0);
    }, 120_000);
  }

  it('metal, 8M: the same', async () => {
    // 96 fills of an 8 MiB heap under TCG: 38-61 s on a busy machine, past boot()'s 60 s.
    const r = await boot(await buildImage(fixture, 'await-oom'), { memory: 8 << 20, timeoutMs: 240_000 });
    expect(r.output).toBe(expected);
    expect(r.status, r.output).toBe(0);
  }, 300_000);
});
