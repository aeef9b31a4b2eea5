// The hosted engine runs a real app bundle (prelude and kernel included) as
// Node does: the boot layer's conformance script, compared byte for byte.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHosted } from '../../builder/hosted/index.ts';
import { readImage } from '../../builder/image.ts';
import { bundleApp, packApp } from '../../builder/pack.ts';

const fixture = join(__dirname, '../boot/fixtures/conformance.ts');

describe('the hosted engine matches node', () => {
  it('prints the conformance script byte for byte as node does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mote-hosted-'));
    const bundle = join(dir, 'conformance.mjs');
    writeFileSync(bundle, await bundleApp(fixture));
    const expected = execFileSync(process.execPath, [bundle], { encoding: 'utf8' });
    expect(expected).toContain('timeout 50');
    const img = await readImage((await packApp({ app: fixture })).image);
    const r = await runHosted({ manifest: img.manifest, files: img.files, tarBytes: img.tar.length }, { memoryBytes: 16 << 20, timeoutMs: 30_000 });
    expect(r.output).toBe(expected);
    expect(r.status).toBe(0);
  });
});
