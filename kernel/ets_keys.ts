/**
 * Table keys: primitives (number, bigint, string, boolean) or arrays of keys
 * (like Erlang tuples). `keyId` maps a key to a Map key with the same
 * equality; `compareKeys` is the order of ordered_set tables:
 * numbers < booleans < strings < arrays (shorter first, then element-wise).
 * A number and a bigint of the same value are the same key everywhere.
 */

export type Key = number | bigint | string | boolean | readonly Key[];

export function checkKey(what: string, k: unknown): Key {
  switch (typeof k) {
    case 'number':
      if (k !== k) throw new TypeError(`${what}: NaN cannot be a key`);
      return k;
    case 'bigint':
    case 'string':
    case 'boolean':
      return k;
  }
  if (Array.isArray(k)) {
    // A deep copy: nested arrays must not stay shared with the caller.
    const a = new Array<Key>(k.length);
    for (let i = 0; i < k.length; i++) a[i] = checkKey(what, k[i]);
    return a;
  }
  throw new TypeError(`${what}: a key must be a number, bigint, string, boolean or an array of those, got ${k === null ? 'null' : typeof k}`);
}

/** A copy of a stored key, to hand out (arrays are copied, deeply). */
export function copyKey(k: Key): Key {
  if (typeof k !== 'object') return k;
  const a = new Array<Key>(k.length);
  for (let i = 0; i < k.length; i++) a[i] = copyKey(k[i]);
  return a;
}

/** A Map key with the key's equality, the one compareKeys has: arrays by
 *  content, and a number and a bigint of the same value are one key, at any
 *  depth and in every table type. Arrays become strings that start with
 *  NUL and "["; a string key that starts with NUL is escaped, so the two
 *  never meet. */
export function keyId(k: Key): unknown {
  switch (typeof k) {
    case 'bigint':
      return exactNumber(k) ?? k;
    case 'string':
      return k.charCodeAt(0) === 0 ? '\u0000' + JSON.stringify(k) : k;
    case 'object':
      return '\u0000' + encode(k);
    default:
      return k;
  }
}

/** The number equal to `b`, if there is one. */
function exactNumber(b: bigint): number | undefined {
  const n = Number(b);
  return Number.isFinite(n) && BigInt(n) === b ? n : undefined;
}

function encode(k: Key): string {
  if (Array.isArray(k)) return '[' + k.map(encode).join(',') + ']';
  if (typeof k === 'string') return JSON.stringify(k);
  if (typeof k === 'bigint') {
    const n = exactNumber(k);
    return n === undefined ? `${k}n` : String(n);
  }
  return String(k);
}

function rank(k: Key): number {
  switch (typeof k) {
    case 'number':
    case 'bigint':
      return 0;
    case 'boolean':
      return 1;
    case 'string':
      return 2;
    default:
      return 3;
  }
}

export function compareKeys(a: Key, b: Key): number {
  // The common case first: an ordered_set of numbers or of strings.
  if (typeof a === typeof b && (typeof a === 'number' || typeof a === 'string')) return a < b ? -1 : a > b ? 1 : 0;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 3) {
    const x = a as readonly Key[];
    const y = b as readonly Key[];
    if (x.length !== y.length) return x.length - y.length;
    for (let i = 0; i < x.length; i++) {
      const c = compareKeys(x[i], y[i]);
      if (c !== 0) return c;
    }
    return 0;
  }
  if (ra === 2) return a < b ? -1 : a > b ? 1 : 0;
  // numbers and bigints compare across types; equal values are the same key
  return a < b ? -1 : a > b ? 1 : 0;
}
