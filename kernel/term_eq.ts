/**
 * Whole-term equality, Erlang's =:= over the values the kernel copies (ETS
 * bags use it for duplicates). Primitives by SameValueZero (NaN equals NaN,
 * -0 equals 0), no conversion between types; arrays element-wise; plain
 * objects by key set and values, whatever the key order; Map and Set by
 * entries; Date by time; Uint8Array and Binary by bytes; Pid, Ref and Tid by
 * identity.
 */
import { Binary } from './term.ts';

export function termEq(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return x !== x && y !== y; // NaN
  const px = Object.getPrototypeOf(x);
  const py = Object.getPrototypeOf(y);
  if (Array.isArray(x)) {
    if (!Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!termEq(x[i], y[i])) return false;
    return true;
  }
  if (px === Object.prototype || px === null) {
    if (py !== Object.prototype && py !== null) return false;
    const kx = Object.keys(x);
    if (kx.length !== Object.keys(y).length) return false;
    const ry = y as Record<string, unknown>;
    for (const k of kx) if (!Object.prototype.hasOwnProperty.call(ry, k) || !termEq((x as Record<string, unknown>)[k], ry[k])) return false;
    return true;
  }
  if (px !== py) return false;
  if (x instanceof Uint8Array) return bytesEq(x, y as Uint8Array);
  if (x instanceof Binary) return x.length === (y as Binary).length && bytesEq(x.bytes(), (y as Binary).bytes());
  if (x instanceof Date) {
    const tx = x.getTime();
    const ty = (y as Date).getTime();
    return tx === ty || (tx !== tx && ty !== ty);
  }
  if (x instanceof Map) return mapEq(x, y as Map<unknown, unknown>);
  if (x instanceof Set) return setEq(x, y as Set<unknown>);
  return false; // Pid, Ref, Tid: equal only if the same (x === y above)
}

function bytesEq(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isObj(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

function mapEq(x: Map<unknown, unknown>, y: Map<unknown, unknown>): boolean {
  if (x.size !== y.size) return false;
  let objEntries: [unknown, unknown][] | null = null;
  for (const [k, v] of x) {
    // Map lookup is SameValueZero, which is termEq for primitive keys.
    if (!isObj(k)) {
      if (!y.has(k) || !termEq(v, y.get(k))) return false;
    } else (objEntries ??= []).push([k, v]);
  }
  if (objEntries === null) return true;
  const rest: [unknown, unknown][] = [];
  for (const e of y) if (isObj(e[0])) rest.push(e);
  // termEq is an equivalence, so greedy matching of entries is exact.
  for (const [k, v] of objEntries) {
    const i = rest.findIndex((e) => termEq(k, e[0]) && termEq(v, e[1]));
    if (i < 0) return false;
    rest.splice(i, 1);
  }
  return true;
}

function setEq(x: Set<unknown>, y: Set<unknown>): boolean {
  if (x.size !== y.size) return false;
  let objs: unknown[] | null = null;
  for (const v of x) {
    if (!isObj(v)) {
      if (!y.has(v)) return false;
    } else (objs ??= []).push(v);
  }
  if (objs === null) return true;
  const rest: unknown[] = [];
  for (const v of y) if (isObj(v)) rest.push(v);
  for (const v of objs) {
    const i = rest.findIndex((w) => termEq(v, w));
    if (i < 0) return false;
    rest.splice(i, 1);
  }
  return true;
}
