// The library an app is type-checked against is what the default engine
// (QuickJS 2025-04-26) has: ES2023's methods type-check in `mote build`'s
// check and the scaffold's tsconfig, and what the engine lacks still fails.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { typecheck } from '../../builder/typecheck.ts';
import { root } from './support.ts';

function check(source: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'mote-lib-'));
  const entry = join(dir, 'main.ts');
  writeFileSync(entry, source);
  return typecheck(entry, join(root, 'kernel/index.ts')).map((d) => d.text);
}

describe("an app's library", () => {
  it('has ES2023: findLast, toSorted, toSpliced, with, Object.hasOwn, at', () => {
    const src = [
      'const a = [3, 1, 2];',
      'console.log(a.findLast((x) => x > 1), a.findLastIndex((x) => x > 1), a.toSorted(), a.toReversed(), a.toSpliced(0, 1), a.with(0, 9));',
      "console.log(Object.hasOwn({ k: 1 }, 'k'), a.at(-1), 'ab'.at(-1));",
      '',
    ].join('\n');
    expect(check(src)).toEqual([]);
  });

  it('has nothing the engine lacks (Array.fromAsync)', () => {
    expect(check('void Array.fromAsync([1]);\n').join('\n')).toMatch(/fromAsync/);
  });
});
