// The node host's `copy` (kernel/platform.ts, ABI 5): what the boot layer's
// qemu/src/host_copy.c does, in JS. The kernel may run in a vm context of its
// own (bench/kernel, the scenarios), so the copy's objects and arrays are made
// in the caller's realm: its Object.prototype is `into`'s prototype, its
// Array.prototype `shared`'s.
import { types } from 'node:util';

const DEPTH_MAX = 64;
const SHARED_MAX = 8;

class Refused {}
const REFUSED = new Refused();

interface Realm {
  objectProto: object;
  arrayProto: object;
  shared: readonly object[];
  open: object[];
  size: number;
}

export function nodeCopy(value: unknown, shared: readonly object[], into: { value: unknown; size: number }): boolean {
  if (!Array.isArray(shared) || shared.length > SHARED_MAX) throw new TypeError(`copy: shared must be an array of at most ${SHARED_MAX} prototypes`);
  const r: Realm = { objectProto: Object.getPrototypeOf(into), arrayProto: Object.getPrototypeOf(shared), shared, open: [], size: 0 };
  let v: unknown;
  try {
    v = copy(value, r, false);
  } catch (e) {
    if (e === REFUSED) return false;
    throw e;
  }
  into.value = v;
  into.size = r.size;
  return true;
}

function copy(v: unknown, r: Realm, inArray: boolean): unknown {
  switch (typeof v) {
    case 'number':
    case 'boolean':
    case 'undefined':
      if (!inArray) r.size += 8;
      return v;
    case 'string':
      r.size += 16 + v.length;
      return v;
    case 'bigint':
      r.size += 16;
      return v;
    case 'object':
      break;
    default:
      throw REFUSED; // symbols, functions
  }
  if (v === null) {
    r.size += 8;
    return v;
  }
  if (types.isProxy(v)) throw REFUSED;
  const proto = Object.getPrototypeOf(v) as object | null;
  const plain = proto === null || proto === r.objectProto;
  if (!plain && !(proto === r.arrayProto && Array.isArray(v))) {
    if (!r.shared.includes(proto!)) throw REFUSED;
    r.size += 16;
    return v;
  }
  if (r.open.includes(v) || r.open.length === DEPTH_MAX) throw REFUSED;
  r.open.push(v);
  const out = plain ? copyObject(v as Record<string, unknown>, proto, r) : copyArray(v as unknown[], r);
  r.open.pop();
  return out;
}

function copyObject(o: Record<string, unknown>, proto: object | null, r: Realm): Record<string, unknown> {
  const keys = Reflect.ownKeys(o);
  if (keys.length > 0 && typeof keys[keys.length - 1] === 'symbol') throw REFUSED;
  const out = Object.create(proto) as Record<string, unknown>;
  r.size += 16;
  for (const k of keys as string[]) {
    const d = Object.getOwnPropertyDescriptor(o, k)!;
    if (!d.enumerable) continue;
    if (!('value' in d)) throw REFUSED; // an accessor: the kernel's copy calls it
    r.size += 8 + k.length;
    Object.defineProperty(out, k, { value: copy(d.value, r, false), writable: true, enumerable: true, configurable: true });
  }
  return out;
}

function copyArray(a: unknown[], r: Realm): unknown[] {
  const n = a.length;
  const out = new (r.arrayProto as { constructor: ArrayConstructor }).constructor();
  r.size += 16 + 8 * n;
  for (let i = 0; i < n; i++) {
    const d = Object.getOwnPropertyDescriptor(a, i);
    if (d && !('value' in d)) throw REFUSED;
    out[i] = copy(d?.value, r, true);
  }
  return out;
}
