// What fixtures/lazy-intrinsics-sweep.ts prints when every try that could
// not make the lazy built-ins threw out of memory and they work after, for
// its tests on the wasm engine and on metal. The counts show the sweep
// crossed the creation: with 16 bytes more at each try, a few hundred tries
// failed before the typed arrays were made (937 on the wasm engine at 8M).
import { expect } from 'vitest';

const OUTPUT =
  /^typed arrays: made after (\d+) tries out of memory\nthen: ArrayBuffer 8, Uint8Array 1,2,3, DataView 4, Float64Array 8\nweak references: made after (\d+) tries out of memory\nthen: WeakRef true, FinalizationRegistry function\n$/;

export function expectSwept(output: string): void {
  const m = OUTPUT.exec(output);
  expect(m, output).not.toBeNull();
  expect(Number(m![1]), output).toBeGreaterThan(200);
  expect(Number(m![2]), output).toBeGreaterThan(20);
}
