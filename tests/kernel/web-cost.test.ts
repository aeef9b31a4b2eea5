// The Web APIs (kernel/web/) are injected into every bundle, yet an app pays
// only for those it names, even with a CommonJS dependency (esbuild adds each
// injected file to every CommonJS module, so a file that ran anything at load
// would be carried, and run, by every such app).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { bundle } from '../../builder/bundle.ts';
import { webGlobals } from '../../builder/web-globals.ts';

const dir = join(import.meta.dirname, 'fixtures/web-cost');
const text = async (f: string) => new TextDecoder().decode((await bundle(join(dir, f), { shape: 'module' })).files[0]![1]);
/** A string each implementation carries, and nothing else in the kernel does. */
const marks: Record<string, RegExp> = {
  encoding: /mote decodes UTF-8 only/,
  base64: /forgiving|correctly encoded/,
  clone: /could not be cloned/,
  url: /core-js|URLSearchParams/,
  events: /already being dispatched/,
  abort: /illegal constructor/,
  dom: /DataCloneError/,
};

describe('Web API globals cost nothing unless named', () => {
  it('an app naming none, with a CommonJS dependency, carries none of them', async () => {
    const out = await text('plain.ts');
    for (const [name, mark] of Object.entries(marks)) expect(out, name).not.toMatch(mark);
  });

  it('an app naming URL carries URL (and loads it on first use), not the others', async () => {
    const out = await text('uses-url.ts');
    expect(out).toMatch(marks.url);
    for (const name of ['encoding', 'base64', 'clone', 'events', 'abort']) expect(out, name).not.toMatch(marks[name]);
  });

  it('the bundle counts each named API\'s code, for inspect, and names no other', async () => {
    const apis = async (f: string) => (await bundle(join(dir, f))).webApis;
    expect(await apis('plain.ts')).toEqual({});
    expect(Object.keys(await apis('uses-url.ts'))).toEqual(['url']);
    expect((await apis('uses-url.ts')).url).toBeGreaterThan(40_000); // core-js-pure counts as url's
    expect(Object.keys(await apis('uses-encoder.ts'))).toEqual(['encoding']);
  });

  it('hello carries no module wrappers: a CommonJS require() anywhere makes esbuild wrap every module', async () => {
    const out = new TextDecoder().decode((await bundle(join(import.meta.dirname, '../../images/hello/main.ts'))).files[0]![1]);
    expect(out).not.toMatch(/__esm\(|__commonJS\(/);
  });

  it('an app naming TextEncoder carries the encoding file only', async () => {
    const out = await text('uses-encoder.ts');
    expect(out).toMatch(/TextEncoder/);
    for (const name of ['url', 'clone', 'events', 'abort']) expect(out, name).not.toMatch(marks[name]);
  });

  it('installWebGlobals (for eval\'d code, the shell) installs exactly the APIs the bundler injects', () => {
    const injected = Object.keys(webGlobals().define).map((k) => k.replace(/^globalThis\./, '')).sort();
    const source = readFileSync(join(import.meta.dirname, '../../kernel/web_globals.ts'), 'utf8');
    const listed = /const apis: Record<string, unknown> = \{([^}]*)\}/.exec(source)![1]!.split(',').map((n) => n.trim()).filter(Boolean).sort();
    expect(listed).toEqual(injected);
  });
});
