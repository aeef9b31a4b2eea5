// mote inspect's module figures, measured on the wasm engine
// (qemu/wasm/measure.c): each module's own heap once loaded, its imports
// not counted, a module that does not compile named with QuickJS's words.
import { describe, expect, it } from 'vitest';
import { measureModules } from '../../builder/hosted/measure.ts';

const mod = (name: string, priority = 0) => ({ name, size: 0, priority });

describe('measuring modules on the wasm engine', () => {
  it('gives a baseline, each module its own cost, and a compile error in words', async () => {
    const big = `export const table = [${Array.from({ length: 2000 }, (_, i) => `{ id: ${i}, f: (x) => x + ${i} }`).join(',')}];`;
    const files = new Map<string, string>([
      ['main.js', `import { table } from './big.js'; export const n = table.length;`],
      ['big.js', big],
      ['broken.js', 'export const = 1;'],
    ]);
    const m = await measureModules([mod('main.js'), mod('big.js'), mod('broken.js', 1), mod('absent.js', 1)], files, 16 << 20);
    expect(m.baseline).toBeGreaterThan(20_000);
    expect(m.baseline).toBeLessThan(200_000);
    // main.js imports big.js, which is measured on its own: main.js stays small.
    expect(m.costs.get('main.js')).toBeLessThan(4096);
    expect(m.costs.get('big.js')).toBeGreaterThan(50 * 2000);
    expect(m.errors.get('broken.js')).toMatch(/^SyntaxError: /);
    expect(m.errors.get('absent.js')).toBe('not in the payload');
    expect(m.costs.has('broken.js')).toBe(false);
  });

  it('is the same figure every time for the same module', async () => {
    const files = new Map([['main.js', 'export function f(a) { return [a, a * 2, { a }]; }']]);
    const a = await measureModules([mod('main.js')], files, 8 << 20);
    const b = await measureModules([mod('main.js')], files, 8 << 20);
    expect(a.costs.get('main.js')).toBe(b.costs.get('main.js'));
    expect(a.baseline).toBe(b.baseline);
  });
});
