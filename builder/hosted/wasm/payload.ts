// A hosted payload as the wasm engine reads it: the payload segment of an
// image (the 64-byte header, then the tar), which qemu/src/payload.c checks
// and searches exactly as on metal. An image's files, .qbc bytecode
// included, go in unchanged.
import { crc32 } from '../../crc32.ts';
import { FORMAT_VERSION, HEADER_SIZE, MAGIC } from '../../image.ts';
import { writeTar } from '../../tar.ts';
import type { Payload } from '../types.ts';

export async function payloadTar(payload: Payload): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const files = new Map(payload.files);
  if (!files.has('manifest.json')) files.set('manifest.json', JSON.stringify(payload.manifest));
  const entries = [...files]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, data]): [string, Uint8Array] => [name, typeof data === 'string' ? encoder.encode(data) : data]);
  return writeTar(entries);
}

/** The payload segment: header and tar, as writeImage lays it in an image. */
export function payloadSegment(tar: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE + tar.length);
  const v = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  v.setUint32(8, FORMAT_VERSION, true);
  v.setUint32(12, HEADER_SIZE, true);
  v.setBigUint64(16, BigInt(tar.length), true);
  v.setUint32(24, crc32(tar), true);
  out.set(tar, HEADER_SIZE);
  return out;
}
