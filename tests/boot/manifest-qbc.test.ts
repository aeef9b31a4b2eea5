// manifest.json travels with manifest.json.qbc, QuickJS's serialization of
// it after a stamp of its text (qemu/include/manifest_stamp.h): the boot
// layer reads the serialization while the stamp matches manifest.json, and
// parses the JSON when it does not (an image whose manifest.json was
// rewritten alone), on metal and hosted alike.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileManifest } from '../../builder/bytecode.ts';
import { runHosted } from '../../builder/hosted/index.ts';
import { readImage, writeImage } from '../../builder/image.ts';
import { BOOT_LAYER, packApp } from '../../builder/pack.ts';
import { writeTar } from '../../builder/tar.ts';
import { boot, workDir } from '../support/guest.ts';

const compiler = join(BOOT_LAYER, '..', 'mote-qjsc');
const enc = (s: string) => new TextEncoder().encode(s);

/** include/boot_sum.h: Fletcher's two sums over 64-bit little-endian words,
 *  four at a time, then the bytes of the tail shorter than four words. */
function bootSum(b: Uint8Array): [bigint, bigint] {
  const mask = (1n << 64n) - 1n;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let a = 0n, s = 0n, i = 0;
  for (const words = b.length - (b.length % 32); i < words; i += 8) { a = (a + v.getBigUint64(i, true)) & mask; s = (s + a) & mask; }
  for (; i < b.length; i++) { a = (a + BigInt(b[i]!)) & mask; s = (s + a) & mask; }
  return [a, s];
}

/** The .qbc of `said`, stamped as if it were made from `text`. */
function stampedAs(said: string, text: Uint8Array): Uint8Array {
  const q = new Uint8Array(compileManifest(compiler, enc(said)));
  const v = new DataView(q.buffer, q.byteOffset, q.byteLength);
  const [a, s] = bootSum(text);
  v.setBigUint64(0, BigInt(text.length), true);
  v.setBigUint64(8, a, true);
  v.setBigUint64(16, s, true);
  return q;
}

async function imageOf(files: Array<[string, Uint8Array]>, name: string): Promise<string> {
  const path = join(workDir, name);
  writeFileSync(path, writeImage(readFileSync(BOOT_LAYER), await writeTar(files)));
  return path;
}

async function both(path: string): Promise<Array<[number, string]>> {
  const metal = await boot(path, { memory: 8 << 20 });
  const img = await readImage(readFileSync(path));
  const hosted = await runHosted({ manifest: img.manifest, files: img.files, tarBytes: img.tar.length }, { memoryBytes: 8 << 20, timeoutMs: 30_000 });
  return [[metal.status, metal.output], [hosted.status, hosted.output]];
}

describe('manifest.json.qbc', () => {
  it('is packed beside manifest.json, stamped with its text', async () => {
    const { files } = await packApp({ app: 'images/hello' });
    const text = files.find(([n]) => n === 'manifest.json')![1];
    const q = files.find(([n]) => n === 'manifest.json.qbc')![1];
    const v = new DataView(q.buffer, q.byteOffset, q.byteLength);
    expect([v.getBigUint64(0, true), v.getBigUint64(8, true), v.getBigUint64(16, true)]).toEqual([BigInt(text.length), ...bootSum(text)]);
  });

  it('is what the boot layer reads while its stamp matches manifest.json', async () => {
    // The .qbc says memory.min is 1 TiB, stamped with the real manifest's
    // text: read, it refuses to boot (107); parsed, hello would run.
    const { files, manifest } = await packApp({ app: 'images/hello' });
    const text = files.find(([n]) => n === 'manifest.json')![1];
    const huge = JSON.stringify({ ...manifest, memory: { min: 2 ** 40 } });
    const path = await imageOf(files.map(([n, d]): [string, Uint8Array] => [n, n === 'manifest.json.qbc' ? stampedAs(huge, text) : d]), 'qbc-read.img');
    const metal = await boot(path, { memory: 8 << 20 });
    expect(metal.status).toBe(107);
    expect(metal.output).toContain('refusing to boot: the app needs 1073741824 KiB of heap to start (mote.memory.min)');
  });

  it('is passed over once manifest.json is rewritten alone: the JSON says what runs', async () => {
    const { files, manifest } = await packApp({ app: 'images/hello' });
    const rewritten = enc(JSON.stringify({ ...manifest, memory: { min: 2 ** 40 } }));
    const path = await imageOf(files.map(([n, d]): [string, Uint8Array] => [n, n === 'manifest.json' ? rewritten : d]), 'qbc-stale.img');
    for (const [status, output] of await both(path)) {
      expect(status).toBe(107);
      expect(output).toContain('refusing to boot: the app needs 1073741824 KiB of heap to start (mote.memory.min)');
    }
  });
});
