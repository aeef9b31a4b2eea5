/**
 * crypto.getRandomValues and crypto.randomUUID (Web Crypto's two functions
 * WinterTC's minimum asks for; no `subtle`). The bytes come from the
 * platform's random(): RDSEED/RDRAND or a virtio-rng device on metal, Node's
 * crypto hosted. A machine with no such source throws, never guesses.
 * Injected as a global only where an app names it.
 */
import { platform } from '../platform.ts';
import { DOMException } from './dom_exception.ts';

const MAX_BYTES = 65536; // the Web Crypto limit per call

type IntegerArray = Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

function getRandomValues<T extends IntegerArray>(array: T): T {
  const integer =
    array instanceof Int8Array || array instanceof Uint8Array || array instanceof Uint8ClampedArray ||
    array instanceof Int16Array || array instanceof Uint16Array || array instanceof Int32Array ||
    array instanceof Uint32Array || array instanceof BigInt64Array || array instanceof BigUint64Array;
  if (!integer) {
    throw new DOMException('crypto.getRandomValues: the argument must be an integer typed array', 'TypeMismatchError');
  }
  if (array.byteLength > MAX_BYTES) {
    throw new DOMException(`crypto.getRandomValues: ${array.byteLength} bytes asked for, at most ${MAX_BYTES} at a time`, 'QuotaExceededError');
  }
  platform().random(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return array;
}

const HEX = '0123456789abcdef';

/** A version 4 UUID (RFC 9562): 122 random bits. */
function randomUUID(): string {
  const b = getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[b[i] >> 4] + HEX[b[i] & 15];
  }
  return s;
}

export const crypto = { getRandomValues, randomUUID };
