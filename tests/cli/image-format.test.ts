// Image format 2's header as writeImage lays it and readImage checks it, and
// a version 1 image (no boot-layer checksum, zero from byte 28) still read.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../builder/crc32.ts';
import { FORMAT_VERSION, HEADER_SIZE, ImageError, readImage, writeImage } from '../../builder/image.ts';
import { BOOT_LAYER } from '../../builder/paths.ts';
import { writeTar } from '../../builder/tar.ts';
import { Exit } from '../../kernel/platform.ts';

const enc = (s: string) => new TextEncoder().encode(s);

async function image(): Promise<{ bytes: Uint8Array; at: number }> {
  const manifest = { format: FORMAT_VERSION, name: 't', version: '0', entry: 'main.js', modules: [] };
  const bytes = writeImage(readFileSync(BOOT_LAYER), await writeTar([['manifest.json', enc(JSON.stringify(manifest))], ['main.js', enc('1')]]));
  const img = await readImage(bytes);
  return { bytes, at: img.segments[img.segments.length - 1]!.offset };
}

describe('image format 2', () => {
  it('the header carries the boot layer\'s CRC at 28, zero from 32, and the file ends with the tar', async () => {
    const { bytes, at } = await image();
    const v = new DataView(bytes.buffer, bytes.byteOffset);
    expect(FORMAT_VERSION).toBe(2);
    expect(v.getUint32(at + 8, true)).toBe(2);
    expect(v.getUint32(at + 28, true)).toBe(crc32(bytes.subarray(0, at)));
    expect([...bytes.subarray(at + 32, at + HEADER_SIZE)].every((b) => b === 0)).toBe(true);
    expect(bytes.length).toBe(at + HEADER_SIZE + Number(v.getBigUint64(at + 16, true)));
  });

  it('a version 1 image still reads; in it, bytes 28..32 are reserved too', async () => {
    const { bytes, at } = await image();
    const v = new DataView(bytes.buffer, bytes.byteOffset);
    v.setUint32(at + 8, 1, true);
    v.setUint32(at + 28, 0, true);
    expect((await readImage(bytes)).version).toBe(1);
    bytes[at + 30] = 1;
    const err = await readImage(bytes).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageError);
    expect(err).toMatchObject({ status: Exit.PayloadCorrupt, message: "corrupt image: the payload header's reserved bytes are not zero" });
  });
});
