// inspect of a large payload: it works up to what the hosted engine can
// address, and past that names the limit (it said "table index is out of
// bounds", an engine trap, for a 100 MB payload; or measured a module that
// ran out of heap as costing nothing).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../builder/errors.ts';
import { measureModules } from '../../builder/hosted/measure.ts';
import { writeImage } from '../../builder/image.ts';
import { BOOT_LAYER } from '../../builder/paths.ts';
import { writeTar } from '../../builder/tar.ts';
import { buildCli, moteSync, tempDir } from './support.ts';

const MiB = 2 ** 20;
/** A module whose source is one string literal of `mib` MiB. */
const bigModule = (mib: number) => new TextEncoder().encode(`export const s = "${'x'.repeat(mib * MiB)}";\n`);

describe('measuring modules past the heap', () => {
  it('a 20 MiB module with 64 MiB of heap is measured: the string it holds, and little more', async () => {
    const code = bigModule(20);
    const m = await measureModules([{ name: 'main.js', size: code.length, priority: 0 }], new Map([['main.js', code]]), 64 * MiB);
    expect(m.errors.size).toBe(0);
    expect(m.costs.get('main.js')).toBeGreaterThan(20 * MiB);
    expect(m.costs.get('main.js')).toBeLessThan(21 * MiB);
  });

  for (const mib of [100]) {
    it(`a ${mib} MiB module with 64 MiB of heap: the limit is named, not an engine trap or a zero figure`, async () => {
      const code = bigModule(mib);
      const measuring = measureModules([{ name: 'main.js', size: code.length, priority: 0 }], new Map([['main.js', code]]), 64 * MiB);
      await expect(measuring).rejects.toThrow(InputError);
      await expect(measuring).rejects.toThrow(`cannot measure module main.js (${mib + 1} MiB of source): compiling it needs more than the 64 MiB of heap the hosted engine can give`);
    });
  }
});

describe('mote inspect of a 100 MB payload', () => {
  const image = join(tempDir(), 'big.img');

  beforeAll(async () => {
    buildCli();
    const code = bigModule(100);
    const boot = JSON.parse(readFileSync(BOOT_LAYER.replace(/\.elf$/, '.json'), 'utf8'));
    const manifest = { format: 2, name: 'big', version: '1.0.0', entry: 'main.js', modules: [{ name: 'main.js', size: code.length, priority: 0 }], boot };
    const tar = await writeTar([['manifest.json', new TextEncoder().encode(JSON.stringify(manifest))], ['main.js', code]]);
    writeFileSync(image, writeImage(readFileSync(BOOT_LAYER), tar));
  });

  it('measures it and predicts RAM above it', () => {
    const r = moteSync(['inspect', image, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.modules[0].error).toBeUndefined();
    expect(report.modules[0].heapCost).toBeGreaterThan(100 * MiB);
    expect(report.predicted.fullMin).toBeGreaterThan(200 * MiB);
  });
});
