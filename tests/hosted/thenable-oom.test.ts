// A promise resolved with a thenable, whose job to follow it runs with the
// heap full, on the wasm engine and on metal: where the job cannot make the
// promise's resolving functions, the promise rejects with out of memory
// (quickjs-suspend-job.patch); elsewhere it follows the thenable; each
// once. Before, the job threw and the host stopped with 100 ("uncaught
// exception: null"), the promise left pending.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../builder/image.ts';
import { runWasm } from '../../builder/hosted/wasm/index.ts';
import { boot, buildImage } from '../support/guest.ts';

const fixture = join(__dirname, 'fixtures/thenable-oom.ts');
const expected = /^thenables followed with the heap full: 96 of 96 settled \((\d+) rejected\); twice 0\n$/;

function check(output: string): void {
  const m = expected.exec(output);
  expect(m, output).not.toBeNull();
  // Some try's job found no room, some found enough.
  expect(Number(m![1]), output).toBeGreaterThan(0);
  expect(Number(m![1]), output).toBeLessThan(96);
}

describe('a thenable followed with the heap full', () => {
  for (const mb of [8, 9]) {
    it(`wasm engine, ${mb}M: every promise settles once, rejected where the job found no room`, async () => {
      const img = await readImage(readFileSync(await buildImage(fixture, 'thenable-oom')));
      const r = await runWasm({ manifest: img.manifest, files: img.files }, { memoryBytes: mb << 20, timeoutMs: 60_000 });
      expect(r.status, r.output).toBe(0);
      check(r.output);
    }, 120_000);
  }

  it('metal, 8M: the same', async () => {
    // 96 fills of an 8 MiB heap under TCG, as await-oom's.
    const r = await boot(await buildImage(fixture, 'thenable-oom'), { memory: 8 << 20, timeoutMs: 240_000 });
    expect(r.status, r.output).toBe(0);
    check(r.output);
  }, 300_000);
});
