// Async bodies started with no promise (Promise.moteRun,
// qemu/patches/2025-04-26/quickjs-suspend-body.patch), ending every way a
// body ends, on metal's engine and allocator (wasm64): 130,000 of them
// leave the heap as they found it.
import { expect, it } from 'vitest';
import { join } from 'node:path';
import { runScenario } from '../support/scenario-runner.ts';

it('130,000 bodies that return objects, thenables, promises or throw, before or after an await, or are killed in one, leave the heap where it was', async () => {
  const r = await runScenario(join(import.meta.dirname, 'fixtures/quickjs-only/body-sweep.ts'), 'quickjs', 64 << 20);
  expect(r.output, r.output).toContain(
    'normal: object 10000, object+await 10000, thenable 10000, thenable+await 10000, rejecting 0, rejecting+await 0, getter 0, getter+await 0, promise 10000, promise+await 10000, thrown 0, thrown+await 0, killed 10000',
  );
  const m = /^bodies 130000 grown (-?\d+)$/m.exec(r.output);
  expect(m, r.output).not.toBeNull();
  expect(Number(m![1]), r.output).toBeLessThan(65_536);
  expect(r.code, r.output).toBe(0);
}, 120_000);
