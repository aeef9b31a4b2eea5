// An async body started by Promise.moteRun that returns an object or a
// thenable, ending with the heap full: its end is told once, as a job or
// at once, where the job that would tell it could not be allocated
// (quickjs-suspend-job.patch: js_async_body_end, and a watch's reaction
// kept on the runtime's stalled_reactions). Before, the end of 1 in 96 was
// lost, of each kind at 8 MiB, of an object at 9 (a thenable's end at 9
// was told all 96 times without the patch too). Every end here is an out
// of memory: the promise that would follow the value finds no room.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../builder/image.ts';
import { runWasm } from '../../builder/hosted/wasm/index.ts';
import { buildImage } from '../support/guest.ts';

const fixture = join(__dirname, 'fixtures/body-end-oom.ts');
const expected = /^ends told: an object (\d+) of 96 \(\d+ rejected\), a thenable (\d+) of 96 \(\d+ rejected\); twice 0\n$/;

async function run(mb: number): Promise<RegExpExecArray> {
  const img = await readImage(readFileSync(await buildImage(fixture, 'body-end-oom')));
  const r = await runWasm({ manifest: img.manifest, files: img.files }, { memoryBytes: mb << 20, timeoutMs: 60_000 });
  expect(r.status, r.output).toBe(0);
  const m = expected.exec(r.output);
  expect(m, r.output).not.toBeNull();
  return m!;
}

describe('a moteRun body that ends with the heap full', () => {
  for (const mb of [8, 9]) {
    it(`wasm engine, ${mb}M: a returned object's end is told once`, async () => {
      expect(Number((await run(mb))[1])).toBe(96);
    }, 120_000);
    it(`wasm engine, ${mb}M: a returned thenable's end is told once`, async () => {
      expect(Number((await run(mb))[2])).toBe(96);
    }, 120_000);
  }
});
