// A body that runs the heap full at its first run, never yielding
// (tests/kernel/fixtures/quickjs-only/oom-kept.ts), on the wasm engine at
// every megabyte from 8M to 24M: where the heap runs out moves with each.
// The kernel's own start of the body (scheduler.ts, startBody and follow)
// must not be where the out-of-memory surfaces: the process dies with
// out_of_memory, one line names its memory, and the node, with nothing left
// to run, ends with 0. It ended with 100 at 13 of these 17 sizes (the body's
// rejection reported unhandled: follow's `then` found no memory, and the
// way out of it allocated too), then 101 at the same sizes (the node's stop
// could not even be made).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildImage } from '../support/guest.ts';
import { moteSync } from '../cli/support.ts';
import { OOM_DEATH } from '../support/pressure.ts';

const fixture = join(__dirname, '../kernel/fixtures/quickjs-only/oom-kept.ts');

describe('a body that runs the heap full at its start, wasm engine', () => {
  it('8M to 24M: the process dies with out_of_memory, named in one line; the node ends with 0', async () => {
    const image = await buildImage(fixture, 'oom-kept');
    const bad: string[] = [];
    for (let mb = 8; mb <= 24; mb++) {
      const r = moteSync(['run', image, '-m', `${mb}M`]);
      const out = r.stdout + r.stderr;
      if (r.status !== 0 || !new RegExp(`^${OOM_DEATH.source}$`).test(out)) bad.push(`${mb}M: status ${r.status}: ${out.split('\n').slice(0, 2).join(' | ')}`);
    }
    expect(bad).toEqual([]);
  }, 180_000);
});
