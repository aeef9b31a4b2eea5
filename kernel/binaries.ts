/**
 * Shared binaries' accounting: each buffer is counted once while a mailbox
 * or a table references it (`memory().binary`), however many messages and
 * rows share it.
 */
import { Binary } from './term.ts';

const binaryRefs = new Map<ArrayBuffer, { bytes: number; refs: number }>();
let binaryBytes = 0;

export function holdBinaries(bins: Binary[]): void {
  for (const b of bins) {
    const buf = Binary.buffer(b);
    const e = binaryRefs.get(buf);
    if (e) e.refs++;
    else {
      binaryRefs.set(buf, { bytes: buf.byteLength, refs: 1 });
      binaryBytes += buf.byteLength;
    }
  }
}

export function releaseBinaries(bins: Binary[]): void {
  for (const b of bins) {
    const buf = Binary.buffer(b);
    const e = binaryRefs.get(buf);
    if (!e) continue;
    if (--e.refs === 0) {
      binaryRefs.delete(buf);
      binaryBytes -= e.bytes;
    }
  }
}

export function sharedBinaryBytes(): number {
  return binaryBytes;
}
