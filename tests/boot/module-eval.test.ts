// How the entry module and the modules it imports are evaluated, on metal
// and hosted alike: quickjs-boot-module-promise.patch gives a module with no
// top-level await one resume and a promise with no resolving functions, and
// keeps QuickJS's async path for one with an await. What an app sees is kept:
// a throw at any module's top level is an uncaught exception (100), a
// dynamic import of a module that throws rejects, and top-level await runs
// its module's rest later, in order. The modules are raw ES modules (no
// bundle, so top-level await is left in), loaded from source. Before the
// patch, a dynamic import of a module that throws, its rejection handled,
// ended the program with 100 all the same: the promise QuickJS made for the
// module's body was rejected too, and nothing ever handled it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHosted } from '../../builder/hosted/index.ts';
import { readImage, writeImage } from '../../builder/image.ts';
import { BOOT_LAYER, packApp } from '../../builder/pack.ts';
import { writeTar } from '../../builder/tar.ts';
import { boot, workDir } from '../support/guest.ts';

const enc = (s: string) => new TextEncoder().encode(s);

/** An image whose modules are `modules` (the first the entry, main.js), as
 *  source only; the manifest is hello's, with these modules. */
async function imageOf(name: string, modules: Record<string, string>): Promise<string> {
  const { manifest } = await packApp({ app: 'images/hello' });
  const files = Object.entries(modules).map(([n, text]): [string, Uint8Array] => [n, enc(text)]);
  const m = { ...manifest, entry: 'main.js', modules: files.map(([n, d]) => ({ name: n, size: d.length, priority: 0 })) };
  const path = join(workDir, `${name}.img`);
  writeFileSync(path, writeImage(readFileSync(BOOT_LAYER), await writeTar([['manifest.json', enc(JSON.stringify(m))], ...files])));
  return path;
}

/** [status, output] on metal, then hosted. */
async function both(path: string): Promise<Array<[number, string]>> {
  const metal = await boot(path, { memory: 8 << 20, timeoutMs: 60_000 });
  const img = await readImage(readFileSync(path));
  const hosted = await runHosted({ manifest: img.manifest, files: img.files, tarBytes: img.tar.length }, { memoryBytes: 8 << 20, timeoutMs: 30_000 });
  return [[metal.status, metal.output], [hosted.status, hosted.output]];
}

const w = (s: string) => `__mote.write(${JSON.stringify(s + '\n')});`;

describe('module evaluation', () => {
  it('runs the imported modules first, then the entry, and ends with 0', async () => {
    const path = await imageOf('mod-order', {
      'main.js': `import { b } from './b.js'; import './c.js'; ${w('main')} __mote.write(b + "\\n");`,
      'b.js': `import './c.js'; ${w('b')} export const b = "b's export";`,
      'c.js': w('c'),
    });
    for (const r of await both(path)) expect(r).toEqual([0, "c\nb\nmain\nb's export\n"]);
  });

  it('a throw at the entry top level is an uncaught exception with its stack: 100', async () => {
    const path = await imageOf('mod-throw', { 'main.js': `${w('before')} function top() { throw new Error("at top"); } top();` });
    for (const [status, output] of await both(path)) {
      expect(status).toBe(100);
      expect(output).toMatch(/^before\nmote: uncaught exception: Error: at top\n\s+at top \(main\.js/);
    }
  });

  it('a throw in an imported module stops the entry before its body: 100', async () => {
    const path = await imageOf('mod-throw-import', {
      'main.js': `import './b.js'; ${w('main ran')}`,
      'b.js': `${w('b')} throw 7;`,
    });
    for (const r of await both(path)) expect(r).toEqual([100, 'b\nmote: uncaught exception: 7\n']);
  });

  it('a dynamic import of a module that throws rejects, once for each import, and the program goes on', async () => {
    const path = await imageOf('mod-dynamic', {
      'main.js': `
        const show = (p) => p.then((ns) => __mote.write("ok " + ns.v + "\\n"), (e) => __mote.write("rejected " + e.message + "\\n"));
        show(import('./bad.js')).then(() => show(import('./bad.js'))).then(() => show(import('./good.js')));`,
      'bad.js': `${w('bad ran')} throw new Error("bad");`,
      'good.js': 'export const v = 42;',
    });
    for (const r of await both(path)) expect(r).toEqual([0, 'bad ran\nrejected bad\nrejected bad\nok 42\n']);
  });

  it('top-level await: the entry and a module it imports go on after their awaits, in order', async () => {
    const path = await imageOf('mod-tla', {
      'main.js': `import { v } from './t.js'; ${w('main')} await null; __mote.write("main after " + v + "\\n");`,
      't.js': `${w('t')} export let v = 1; await new Promise((r) => __mote.armTimer(__mote.monotonicMs() + 20, r)); v = 2; ${w('t after')}`,
    });
    for (const r of await both(path)) expect(r).toEqual([0, 't\nt after\nmain\nmain after 2\n']);
  });

  it('top-level await of a rejection is an unhandled rejection: 100', async () => {
    const path = await imageOf('mod-tla-reject', { 'main.js': `${w('before')} await null; await Promise.reject(new Error("late"));` });
    for (const [status, output] of await both(path)) {
      expect(status).toBe(100);
      expect(output).toMatch(/^before\nmote: unhandled promise rejection: Error: late\n/);
    }
  });
});
