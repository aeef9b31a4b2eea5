// Stack frames mapped back to the TypeScript (issue 13): mote build writes
// IMAGE.map beside the image; the frames a guest prints map to src lines.
// Both hosts run QuickJS 2025-04-26 (hosted on the wasm engine, issue 10),
// which prints a line and a column.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readImage } from '../../builder/image.ts';
import { runHosted } from '../../builder/hosted/index.ts';
import { bootImage } from '../../builder/qemu.ts';
import { frameRewriter, lineRewriter, mapPathOf } from '../../builder/source-maps.ts';
import { mote, moteSync, tempDir } from './support.ts';

const dir = tempDir();
const app = join(import.meta.dirname, 'fixtures/crash/main.ts');
const image = join(dir, 'crash.img');

async function modulesOf(path: string): Promise<Array<[string, Uint8Array]>> {
  const img = await readImage(readFileSync(path));
  return img.manifest.modules.map((m) => [m.name, img.files.get(m.name)!]);
}

describe('source maps', () => {
  it('mote build writes IMAGE.map beside the image, not into it', () => {
    const r = moteSync(['build', app, '-o', image, '--no-typecheck']);
    expect(r.status, r.stderr).toBe(0);
    const map = JSON.parse(readFileSync(mapPathOf(image), 'utf8'));
    expect(map.mote).toBe('source maps');
    expect(Object.keys(map.modules)).toEqual(['main.js']);
    expect(map.modules['main.js'].sources.some((s: string) => s.endsWith('fixtures/crash/main.ts'))).toBe(true);
    expect(readFileSync(image).includes('sourceMappingURL')).toBe(false);
  });

  it('maps a hosted stack and a metal stack to the same TypeScript lines', async () => {
    const img = await readImage(readFileSync(image));
    const rewrite = frameRewriter(image, await modulesOf(image))!;
    expect(rewrite).toBeDefined();
    const hosted = (await runHosted({ manifest: img.manifest, files: img.files, tarBytes: img.tar.length }, { memoryBytes: 8 << 20, timeoutMs: 30_000 })).output;
    const metal = (await bootImage(image, { memory: 8 << 20, stdio: 'pipe', timeoutMs: 60_000 })).output;
    const frames = (out: string) => rewrite(out).split('\n').filter((l) => /^\s+at /.test(l));
    const file = 'tests/cli/fixtures/crash/main.ts';
    expect(hosted).toBe(metal);
    for (const [host, out] of [['hosted', hosted], ['metal', metal]] as const) {
      expect(frames(out)[0], `${host}\n${out}`).toBe(`    at inner (${file}:6:28)`);
      expect(frames(out).slice(1, 4), `${host}\n${rewrite(out)}`).toEqual(Array(3).fill(`    at inner (${file}:8:3)`));
      expect(frames(out)[4], host).toMatch(new RegExp(`^    at <anonymous> \\(${file}:11:\\d+\\)$`));
      expect(frames(out).length, host).toBe(5);
    }
  }, 90_000);

  it('a map from another build is not used: its lines would be wrong', async () => {
    const other = join(dir, 'other.img');
    expect(moteSync(['build', join(import.meta.dirname, '../../images/hello'), '-o', other]).status).toBe(0);
    writeFileSync(mapPathOf(other), readFileSync(mapPathOf(image)));
    expect(frameRewriter(other, await modulesOf(other))).toBeUndefined();
    expect(frameRewriter(join(dir, 'no-such.img'), [])).toBeUndefined();
  });

  it('rewrites a stream split anywhere, and passes a prompt on at once', async () => {
    const rewrite = frameRewriter(image, await modulesOf(image))!;
    const out: string[] = [];
    const stream = lineRewriter(rewrite, (t) => out.push(t));
    const metal = (await bootImage(image, { memory: 8 << 20, stdio: 'pipe', timeoutMs: 60_000 })).output;
    for (let i = 0; i < metal.length; i += 7) stream.push(metal.slice(i, i + 7));
    stream.end();
    expect(out.join('')).toBe(rewrite(metal));
    const shown: string[] = [];
    const prompt = lineRewriter(rewrite, (t) => shown.push(t));
    prompt.push('> ');
    prompt.push(' '); // a space typed after the prompt is echoed at once, not held
    expect(shown).toEqual(['> ', ' ']);
    // Progress written with \r ends its line each time, and an indented
    // partial line waits at most HOLD_MS however often more of it comes.
    const progress: string[] = [];
    const bar = lineRewriter(rewrite, (t) => progress.push(t));
    bar.push('  10%\r');
    bar.push('  20%\r');
    expect(progress.join('')).toBe('  10%\r  20%\r');
    bar.push('    at');
    const waitStarted = Date.now();
    while (progress.length === 2 && Date.now() - waitStarted < 2000) {
      bar.push('');
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(progress.slice(2)).toEqual(['    at']);
    bar.end();
  }, 90_000);

  it('mote run and mote boot print the frames mapped; without the map, as the guest wrote them', async () => {
    const file = 'tests/cli/fixtures/crash/main.ts';
    const run = await mote(['run', image]);
    expect(run.stdout).toMatch(new RegExp(`^    at inner \\(${file}:6:28\\)$`, 'm'));
    expect(run.stdout).not.toMatch(/main\.js:/);
    expect(run.status).toBe(100);
    const boot = await mote(['boot', image]);
    expect(boot.stdout).toMatch(new RegExp(`^    at inner \\(${file}:6:28\\)$`, 'm'));
    expect(boot.stdout).toMatch(new RegExp(`^    at <anonymous> \\(${file}:11:\\d+\\)$`, 'm'));
    expect(boot.status).toBe(100);
    const bare = join(dir, 'bare.img');
    writeFileSync(bare, readFileSync(image));
    const unmapped = await mote(['run', bare]);
    expect(unmapped.stdout).toMatch(/^    at inner \(main\.js:\d+:\d+\)$/m);
  }, 120_000);
});
