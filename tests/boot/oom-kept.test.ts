// The same as tests/hosted/wasm-oom-kept.test.ts, booted: a body that runs
// the heap full at its first run dies with out_of_memory, named in one line,
// and the node ends with 0. Metal ended with 100 at 8M to 11M (the body's
// rejection reported unhandled). The fixture lifts the runaway guard, so that
// on a busy machine the guard never kills first.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boot, buildImage } from '../support/guest.ts';
import { OOM_DEATH } from '../support/pressure.ts';

const fixture = join(__dirname, '../kernel/fixtures/quickjs-only/oom-kept.ts');

describe('a body that runs the heap full at its start, metal', () => {
  for (const mb of [8, 9, 10, 11]) {
    it(`at ${mb}M: the process dies with out_of_memory, named in one line; the node ends with 0`, async () => {
      const r = await boot(await buildImage(fixture, 'oom-kept'), { memory: mb << 20 });
      expect(r.output).toMatch(new RegExp(`^${OOM_DEATH.source}$`));
      expect(r.status, r.output).toBe(0);
    });
  }
});
