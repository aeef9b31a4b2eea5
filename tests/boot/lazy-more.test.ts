// QuickJS makes RegExp, Proxy, Map with Set, WeakMap and WeakSet, and the
// generators' and async generators' prototypes at their first use, not with
// the context (qemu/patches/2025-04-26/quickjs-boot-lazy-more.patch; issue
// 11, boot time), on metal and hosted alike. Each way the engine has to a
// group (a regexp literal, String.prototype.match with a string, the
// global, a constructor, a generator function made, for await of an array)
// is the first use of one boot; every built-in of the groups then does what
// it did when made at boot, with the globals in their places. The host's
// copy of a message takes the engine's own Proxy at its first copy, a
// program having replaced the global. With the heap full, a first use fails
// with out of memory and leaves nothing behind (OTHER: how QuickJS reports
// some of its out of memory errors, as before).
// Before the patch every "made then" was false (the groups were there at
// boot) and the sweeps made each group at once; the rest held as now.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHosted } from '../../builder/hosted/index.ts';
import { readImage } from '../../builder/image.ts';
import { boot, buildImage } from '../support/guest.ts';

/** [status, output] on metal, then hosted, of `image` given `commandLine`. */
async function both(image: string, commandLine = '', memory = 8 << 20, timeoutMs = 60_000): Promise<Array<[number, string]>> {
  const metal = await boot(image, { memory, timeoutMs, commandLine });
  const img = await readImage(readFileSync(image));
  const hosted = await runHosted({ manifest: img.manifest, files: img.files, tarBytes: img.tar.length }, { memoryBytes: memory, timeoutMs, commandLine });
  return [[metal.status, metal.output], [hosted.status, hosted.output]];
}

const AFTER = [
  'RegExp: function true true gi x true [object Object] true',
  'strings: 1 2 0,2 [object RegExp String Iterator] true a-c a,b, a.b. 12',
  'Map: function true true 2 1,k [object Map Iterator] true 1,3 true true',
  'Set: function true true 2 3,4 [object Set Iterator] true false',
  'weak: function true wm function true true true [object WeakMap] [object WeakSet]',
  'Proxy: function Proxy 2 1 true 9 false',
  'revoked: TypeError',
  'globals: RegExp,JSON,Proxy,Map,Set,WeakMap,WeakSet,ArrayBuffer',
  'generators: 1,2 GeneratorFunction [object Generator] true true 3 4 [object Function] true',
  'async generators: AsyncGeneratorFunction [object AsyncGenerator] true function [object AsyncGeneratorFunction]',
  'awaited: 5,6,7',
].join('\n');

/** Out of memory as QuickJS reports it where it cannot say so whole: its
 *  regexp compiler throws SyntaxError "out of memory", and an InternalError
 *  whose message could not be made has none (JS_ThrowError2). */
const OTHER = '(?:; \\d+ other errors, the first (?:SyntaxError: out of memory|InternalError))?';

const FIRST_USES: Array<[string, string]> = [
  ['literal', 'bb'], ['match', '1'], ['global', 'function'], ['map', 'one'], ['set', 'function'], ['weakmap', '2'], ['proxy', 'trapped x'],
  ['generator', '1,2'], ['asyncgen', '[object AsyncGenerator]'], ['forawait', 'started'],
];

describe('RegExp, Proxy, Map and Set, the generators made at their first use, metal and hosted', () => {
  it.each(FIRST_USES)('first used by %s: made then, and every built-in of them works', async (first, value) => {
    const image = await buildImage(join(__dirname, 'fixtures/lazy-more.ts'), 'lazy-more');
    for (const r of await both(image, first)) expect(r).toEqual([0, `${first}: ${value}; made then: true\n${AFTER}\n`]);
  }, 120_000);

  it("the host's copy takes the engine's Proxy at its first copy, whatever the program did to the global", async () => {
    const image = await buildImage(join(__dirname, 'fixtures/lazy-more-copy.ts'), 'lazy-more-copy');
    for (const r of await both(image)) expect(r).toEqual([0, 'got 1 1,2 -\ngot 2 3 5\ngot 3  -\n']);
  }, 120_000);

  it('first used with the heap full: out of memory at every try that cannot make them, and they work after', async () => {
    const image = await buildImage(join(__dirname, '../hosted/fixtures/lazy-more-sweep.ts'), 'lazy-more-sweep');
    for (const [status, output] of await both(image, '', 8 << 20, 240_000)) {
      const line = (group: string, then: string) => `${group}: made after (\\d+) tries out of memory${OTHER}\\nthen: ${then}\\n`;
      const m = new RegExp(`^${line('regexp', 'bb 2 2 g true')}${line('map and set', '2 1 3,4 true')}${line('proxy', '7 function')}` +
        `${line('generators', '1,2')}${line('async generators', '\\[object AsyncGenerator\\]')}$`).exec(output);
      expect(m, output).not.toBeNull();
      expect(Number(m![1]), output).toBeGreaterThan(20);
      expect(Number(m![2]), output).toBeGreaterThan(20);
      for (const n of [m![3], m![4], m![5]]) expect(Number(n), output).toBeGreaterThan(0);
      expect(status, output).toBe(0);
    }
  }, 600_000);
});
