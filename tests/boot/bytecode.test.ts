// Modules travel as source and as QuickJS bytecode (NAME.qbc, made by
// qemu/build/mote-qjsc): the boot layer reads the bytecode, hosted runs read
// the source, and both resolve imports between modules by name.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHosted } from '../../builder/hosted/index.ts';
import { readImage, writeImage } from '../../builder/image.ts';
import { BOOT_LAYER, packApp } from '../../builder/pack.ts';
import { writeTar } from '../../builder/tar.ts';
import { boot, buildImage, workDir } from '../support/guest.ts';

const fixture = (name: string) => join(__dirname, 'fixtures', name);

describe('module bytecode', () => {
  it('packs NAME.qbc beside each module', async () => {
    const { files, manifest } = await packApp({ app: fixture('split/main.ts') });
    const names = files.map(([n]) => n);
    expect(manifest.modules.length).toBeGreaterThanOrEqual(3); // main, the shared chunk, the lazy chunk
    for (const m of manifest.modules) expect(names).toContain(`${m.name}.qbc`);
  });

  it('runs a static import of a shared chunk and a dynamic import, on metal and hosted', async () => {
    const image = await buildImage(fixture('split/main.ts'), 'split');
    const metal = await boot(image);
    expect(metal.output).toBe('hello, now\nhello, later\n');
    expect(metal.status).toBe(0);
    const img = await readImage(readFileSync(image));
    const hosted = await runHosted({ manifest: img.manifest, files: img.files, tarBytes: img.tar.length }, { memoryBytes: 8 << 20, timeoutMs: 30_000 });
    expect(hosted.output).toBe(metal.output);
  });

  it('the boot layer runs the bytecode, not the source beside it', async () => {
    const a = await packApp({ app: fixture('exit7.ts') });
    const b = await packApp({ app: 'images/hello' });
    // a's files, but main.js.qbc taken from b: metal must print b's line.
    const bytecodeOfB = b.files.find(([n]) => n === 'main.js.qbc')![1];
    const files = a.files.map(([n, d]): [string, Uint8Array] => [n, n === 'main.js.qbc' ? bytecodeOfB : d]);
    const path = join(workDir, 'swapped.img');
    writeFileSync(path, writeImage(readFileSync(BOOT_LAYER), await writeTar(files)));
    const r = await boot(path);
    expect(r.output).toBe('hello from mote\n');
    expect(r.status).toBe(0);
  });
});
