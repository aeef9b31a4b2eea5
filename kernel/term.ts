/**
 * Terms: what may travel in a message or live in a table, and how it is
 * copied.
 *
 * Messages are copied so that no two processes ever share mutable data.
 * Accepted: primitives (not symbols), bigint, arrays, plain objects, Map, Set,
 * Date, Uint8Array, and the kernel's own immutable values (Pid, Ref, Tid, Socket, Binary),
 * which pass by reference. Anything else (a function, a class instance, a
 * cycle, a symbol key) throws a TermError in the sender, naming the path.
 *
 * Binaries. A Uint8Array of 64 bytes or more is copied once into a `Binary`,
 * and from then on shared by reference, as BEAM shares refc binaries. JS
 * cannot freeze the contents of a typed array, so the receiver does not get a
 * Uint8Array but a frozen `Binary` whose bytes are reachable only through
 * methods that read or copy them: no process can change what another sees.
 * A smaller Uint8Array is copied and arrives as a Uint8Array.
 */

import { decodeUtf8 } from './utf8.ts';

/** Bytes at which a Uint8Array is shared as a Binary instead of copied. */
export const SHARED_BINARY_MIN = 64;

export class TermError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'TermError';
  }
}

let nextPid = 32;
let nextRef = 1;

/** A process identifier. Immutable; prints as `<0.42.0>`. */
/** Node's util.inspect hook, which kernel/inspect.ts honours too. */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Makes `o` frozen with `id` its one field, as Object.freeze would leave
 *  it, but keeps the shape every such object shares: QuickJS gives each
 *  frozen object a shape of its own (96 bytes on wasm32, 112 on x86-64, for
 *  every process's pid and every call's ref). */
function sealWithId(o: { readonly id: number }, id: number): void {
  ID.value = id;
  Object.defineProperty(o, 'id', ID);
  Object.preventExtensions(o);
}
/** sealWithId's descriptor, one for every id: a new one per pid and per ref
 *  was an object made and dropped each time. No prototype: defineProperty
 *  reads get and set through it, which Object.prototype must not lend. */
const ID: { value: number; enumerable: true } = Object.assign(Object.create(null) as object, { value: 0, enumerable: true as const });

export class Pid {
  declare readonly id: number;
  constructor() {
    sealWithId(this, nextPid++);
  }
  toString(): string {
    return `<0.${this.id}.0>`;
  }
  /** console.log and the shell print it as Erlang does (Node's util.inspect hook). */
  [INSPECT]() {
    return this.toString();
  }
}

/** A unique reference (monitors, timers, calls). Prints as `#Ref<0.0.0.7>`. */
export class Ref {
  declare readonly id: number;
  constructor() {
    sealWithId(this, nextRef++);
  }
  toString(): string {
    return `#Ref<0.0.0.${this.id}>`;
  }
  /** console.log and the shell print it as Erlang does (Node's util.inspect hook). */
  [INSPECT]() {
    return this.toString();
  }
}

let nextTid = 1;

/** A table identifier (see ets.ts). Immutable; may travel in messages. */
export class Tid {
  declare readonly id: number;
  constructor() {
    sealWithId(this, nextTid++);
  }
  toString(): string {
    return `#Tab<0.${this.id}>`;
  }
  /** console.log and the shell print it as Erlang does (Node's util.inspect hook). */
  [INSPECT]() {
    return this.toString();
  }
}

/** A socket (see gen_tcp.ts, gen_udp.ts): an id the host gave it. Immutable;
 *  may travel in messages. Prints as Erlang prints ports, `#Port<0.7>`. */
export class Socket {
  constructor(readonly id: number) {
    Object.freeze(this);
  }
  toString(): string {
    return `#Port<0.${this.id}>`;
  }
  /** console.log and the shell print it as Erlang does (Node's util.inspect hook). */
  [INSPECT]() {
    return this.toString();
  }
}

const bytesOf = new WeakMap<Binary, Uint8Array>();

/** An immutable byte string, shared between processes without copying. */
export class Binary {
  readonly length: number;
  private constructor(bytes: Uint8Array) {
    this.length = bytes.length;
    bytesOf.set(this, bytes);
    Object.freeze(this);
  }
  /** A Binary holding a copy of `bytes`. */
  static from(bytes: Uint8Array | ArrayLike<number>): Binary {
    return new Binary(bytes instanceof Uint8Array ? bytes.slice() : Uint8Array.from(bytes as ArrayLike<number>));
  }
  /** A Binary over `bytes` themselves, for the kernel's own fresh buffers
   *  (data a socket received): the caller gives them up, nothing copies. */
  static adopt(bytes: Uint8Array): Binary {
    return new Binary(bytes);
  }
  /** The bytes decoded as UTF-8 (a malformed sequence gives U+FFFD). */
  text(): string {
    return decodeUtf8(bytesOf.get(this)!);
  }
  /** Byte at `i` (negative counts from the end), or undefined. */
  at(i: number): number | undefined {
    const b = bytesOf.get(this)!;
    const j = i < 0 ? b.length + i : i;
    return b[j];
  }
  /** A fresh, mutable copy of the bytes. */
  bytes(): Uint8Array {
    return bytesOf.get(this)!.slice();
  }
  /** A sub-binary sharing the same bytes (no copy). */
  slice(start?: number, end?: number): Binary {
    return new Binary(bytesOf.get(this)!.subarray(start, end));
  }
  /** The underlying buffer, for memory accounting: counted once however many
   *  binaries share it. */
  static buffer(b: Binary): ArrayBuffer {
    return bytesOf.get(b)!.buffer as ArrayBuffer;
  }
  toString(): string {
    return `<<${this.length} bytes>>`;
  }
}

/** A Binary's bytes themselves, for the kernel to hand to a host that copies
 *  them (a socket send). Not exported to apps: they could change them. */
export function binaryBytes(b: Binary): Uint8Array {
  return bytesOf.get(b)!;
}

/** A copied term, with its approximate size in bytes (binaries excluded) and
 *  the shared binaries it holds. */
export interface Copied {
  value: unknown;
  size: number;
  binaries: Binary[] | null;
}

interface Walk {
  size: number;
  binaries: Binary[] | null;
  /** Objects being copied, outermost first: a cycle is one of them again. */
  open: object[];
}

/** A copy failure on its way out of `walk`: each container it leaves adds its
 *  key, so the path costs nothing unless something fails. */
class CopyFail {
  /** Keys from the failing value out, innermost first. */
  readonly path: (string | number)[] = [];
  constructor(readonly problem: string) {}
}

// copyTerm runs once per message: its Walk is reused (taken while in use, so
// a getter that sends from inside a walk gets its own).
let spare: Walk | null = null;

/** The host's copy of plain data (the platform's `copy`), given by the host
 *  glue above (host_copy.ts): it copies what it can, the walk below the rest. */
type HostCopy = (value: unknown, shared: readonly object[], into: Copied) => boolean;
let hostCopy: HostCopy | null = null;
let findHostCopy: (() => HostCopy) | null = null;

/** Sets where copyTerm finds the host's copy, looked up at its first use. */
export function useHostCopy(find: () => HostCopy): void {
  findHostCopy = find;
  hostCopy = null;
}

/** Kernel values that pass by reference, as the host's copy is told them. */
const SHARED: readonly object[] = Object.freeze([Pid.prototype, Ref.prototype, Tid.prototype, Socket.prototype]);

/** Copies `value` as a message or table entry. `what` names the caller for
 *  errors ("send", "ets:insert"). */
export function copyTerm(value: unknown, what: string): Copied {
  // var, not const or let, on the message path: QuickJS checks a lexical
  // local's initialization at every read (and resets one in a block at each entry).
  var r = recycled > 0 ? records[--recycled] : { value: undefined, size: 0, binaries: null };
  var type = typeof value;
  if (value === null || (type !== 'object' && type !== 'function' && type !== 'symbol')) {
    r.value = value;
    r.size = type === 'string' ? 16 + (value as string).length : type === 'bigint' ? 16 : 8; // primSize
    return r;
  }
  if (findHostCopy !== null) {
    hostCopy = findHostCopy();
    findHostCopy = null;
  }
  if (hostCopy !== null && hostCopy(value, SHARED, r)) return r;
  var w: Walk = spare ?? { size: 0, binaries: null, open: [] };
  spare = null;
  try {
    r.value = walk(value, w);
  } catch (e) {
    if (e instanceof CopyFail) throw new TermError(`${what}: cannot copy ${e.problem} at ${where(e.path)}`);
    throw e;
  }
  r.size = w.size;
  r.binaries = w.binaries;
  w.size = 0;
  w.binaries = null;
  spare = w;
  return r;
}

// Records of messages taken (recycle), for the next copies: a record of
// three fields costs QuickJS ~2 us of shape work, more than a small copy.
const records: Copied[] = [];
let recycled = 0;

/** A message's record once its value is taken and nothing refers to the
 *  record (the mailbox's taker), kept for a later copy. */
export function recycle(m: Copied): void {
  if (recycled < 64) {
    m.value = undefined;
    m.binaries = null;
    records[recycled++] = m;
  }
}

function primSize(v: unknown): number {
  return typeof v === 'string' ? 16 + v.length : typeof v === 'bigint' ? 16 : 8;
}

function where(path: (string | number)[]): string {
  let s = 'message';
  for (let i = path.length - 1; i >= 0; i--) {
    const p = path[i];
    s += typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`;
  }
  return s;
}

function addKey(e: unknown, key: string | number): void {
  if (e instanceof CopyFail) e.path.push(key);
}

function walk(v: unknown, w: Walk): unknown {
  switch (typeof v) {
    case 'string':
      w.size += 16 + v.length;
      return v;
    case 'number':
    case 'boolean':
    case 'undefined':
      w.size += 8;
      return v;
    case 'bigint':
      w.size += 16;
      return v;
    case 'symbol':
      throw new CopyFail(`a symbol (${v.toString()})`);
    case 'function':
      throw new CopyFail(`a function (${v.name || 'anonymous'})`);
  }
  if (v === null) {
    w.size += 8;
    return v;
  }
  const o = v as object;
  const proto = Object.getPrototypeOf(o);
  if (w.open.length >= DEEP) return walkDeep(o, proto, w);
  // Plain objects and arrays first: most messages are made of them (neither
  // can be an instance of the kernel's classes below).
  const plain = proto === Object.prototype || proto === null;
  if (plain || (proto === Array.prototype && Array.isArray(o))) {
    if (w.open.indexOf(o) !== -1) throw new CopyFail('a cycle (an object that contains itself)');
    w.open.push(o);
    const out = plain ? copyObject(o as Record<string, unknown>, proto, w) : copyArray(o as unknown[], w);
    w.open.pop();
    return out;
  }
  if (o instanceof Pid || o instanceof Ref || o instanceof Tid || o instanceof Socket) {
    w.size += 16;
    return o;
  }
  if (o instanceof Binary) {
    w.size += 32;
    (w.binaries ??= []).push(o);
    return o;
  }
  if (w.open.indexOf(o) !== -1) throw new CopyFail('a cycle (an object that contains itself)');
  w.open.push(o);
  let out: unknown;
  if (o instanceof Uint8Array && proto === Uint8Array.prototype) out = copyBytes(o, w);
  else if (o instanceof Date && proto === Date.prototype) {
    w.size += 16;
    out = new Date(o.getTime());
  } else if (o instanceof Map && proto === Map.prototype) {
    const m = new Map();
    w.size += 32;
    let key: string | number = '<map key>';
    try {
      for (const [k, val] of o) {
        key = '<map key>';
        const ck = walk(k, w);
        key = typeof k === 'string' || typeof k === 'number' ? k : '<map value>';
        m.set(ck, walk(val, w));
      }
    } catch (e) {
      addKey(e, key);
      throw e;
    }
    out = m;
  } else if (o instanceof Set && proto === Set.prototype) {
    const s = new Set();
    w.size += 32;
    try {
      for (const k of o) s.add(walk(k, w));
    } catch (e) {
      addKey(e, '<set item>');
      throw e;
    }
    out = s;
  } else throw notATerm(proto);
  w.open.pop();
  return out;
}

/** A shared Binary of bytes from SHARED_BINARY_MIN on, else a copy. */
function copyBytes(o: Uint8Array, w: Walk): Uint8Array | Binary {
  if (o.length >= SHARED_BINARY_MIN) {
    const b = Binary.from(o);
    (w.binaries ??= []).push(b);
    w.size += 32;
    return b;
  }
  w.size += 16 + o.length;
  return o.slice();
}

function notATerm(proto: { constructor?: unknown } | null): CopyFail {
  const name = proto && typeof proto.constructor === 'function' ? proto.constructor.name : 'unknown';
  return new CopyFail(`an instance of ${name || 'an anonymous class'} (only plain data, Map, Set, Date and Uint8Array travel)`);
}

/** Containers open at which the recursive walk hands over to walkDeep:
 *  well within any host's stack, past what most messages nest. */
const DEEP = 32;

const ARRAY = 0;
const OBJECT = 1;
const MAP = 2;
const SET = 3;

/** A container walkDeep has open: where it is in it, and what it made. */
interface Frame {
  kind: number;
  src: object;
  out: unknown;
  /** The next element or key (arrays, objects). */
  i: number;
  keys: string[] | null;
  it: Iterator<unknown> | null;
  /** The key the walk is under: the path, on a failure. */
  key: string | number;
  /** A Map's entry: once its key's copy is made (mapKey), its value is
   *  next, under `label` (the key itself if a string or number). */
  atValue: boolean;
  mapKey: unknown;
  mapValue: unknown;
  label: string | number;
}

/** Not a value yet: a container walkDeep opened, its copy to come. */
const OPENED = Symbol('opened');

/** walk, with its own stack instead of the host's, for what lies past DEEP
 *  levels: the same copy, size, checks and path, in the same order (each
 *  getter and trap runs as walk would run it), at any depth. */
function walkDeep(root: object, rootProto: object | null, w: Walk): unknown {
  const frames: Frame[] = [];
  const open = new Set<object>();

  /** Opens `o` if it is a container (OPENED), else copies it as walk does. */
  const enter = (o: object, proto: object | null): unknown => {
    const plain = proto === Object.prototype || proto === null;
    let kind: number;
    if (plain || (proto === Array.prototype && Array.isArray(o))) kind = plain ? OBJECT : ARRAY;
    else if (o instanceof Pid || o instanceof Ref || o instanceof Tid || o instanceof Socket) {
      w.size += 16;
      return o;
    } else if (o instanceof Binary) {
      w.size += 32;
      (w.binaries ??= []).push(o);
      return o;
    } else if (o instanceof Uint8Array && proto === Uint8Array.prototype) return copyBytes(o, w);
    else if (o instanceof Date && proto === Date.prototype) {
      w.size += 16;
      return new Date(o.getTime());
    } else if (o instanceof Map && proto === Map.prototype) kind = MAP;
    else if (o instanceof Set && proto === Set.prototype) kind = SET;
    else throw notATerm(proto);
    if (open.has(o) || w.open.indexOf(o) !== -1) throw new CopyFail('a cycle (an object that contains itself)');
    const f: Frame = { kind, src: o, out: null, i: 0, keys: null, it: null, key: '', atValue: false, mapKey: undefined, mapValue: undefined, label: '' };
    if (kind === OBJECT) {
      if (Object.getOwnPropertySymbols(o).length > 0) throw new CopyFail('an object with a symbol key');
      f.out = proto === null ? Object.create(null) : {};
      f.keys = Object.keys(o);
      w.size += 16;
    } else if (kind === ARRAY) {
      const n = (o as unknown[]).length;
      f.out = new Array(n);
      w.size += 16 + 8 * n;
    } else {
      w.size += 32;
      f.out = kind === MAP ? new Map() : new Set();
      f.it = (o as Iterable<unknown>)[Symbol.iterator]();
    }
    frames.push(f);
    open.add(o);
    return OPENED;
  };

  /** walk's cases for a value inside a container. */
  const child = (x: unknown): unknown => {
    if (x === null) {
      w.size += 8;
      return x;
    }
    if (typeof x !== 'object') return walk(x, w);
    return enter(x, Object.getPrototypeOf(x));
  };

  /** Puts a finished copy `v` in the container on top. */
  const put = (f: Frame, v: unknown): void => {
    if (f.kind === ARRAY) (f.out as unknown[])[f.i++] = v;
    else if (f.kind === OBJECT) {
      const k = f.key as string;
      // An own "__proto__" key must stay a key (see copyObject).
      if (k === '__proto__') Object.defineProperty(f.out, k, { value: v, writable: true, enumerable: true, configurable: true });
      else (f.out as Record<string, unknown>)[k] = v;
      f.i++;
    } else if (f.kind === MAP) {
      if (!f.atValue) {
        f.mapKey = v;
        f.atValue = true;
        f.key = f.label;
      } else {
        (f.out as Map<unknown, unknown>).set(f.mapKey, v);
        f.atValue = false;
        f.mapKey = undefined;
        f.mapValue = undefined;
      }
    } else (f.out as Set<unknown>).add(v);
  };

  let result = enter(root, rootProto);
  try {
    while (frames.length > 0) {
      const f = frames[frames.length - 1];
      let x: unknown;
      if (f.kind === ARRAY) {
        if (f.i >= (f.out as unknown[]).length) {
          finish();
          continue;
        }
        f.key = f.i;
        x = (f.src as unknown[])[f.i];
        const t = typeof x;
        // Numbers, booleans and undefined need no walk (sized at the open).
        if (t === 'number' || t === 'boolean' || t === 'undefined') {
          put(f, x);
          continue;
        }
      } else if (f.kind === OBJECT) {
        if (f.i >= f.keys!.length) {
          finish();
          continue;
        }
        const k = f.keys![f.i];
        f.key = k;
        w.size += 8 + k.length;
        x = (f.src as Record<string, unknown>)[k];
        const t = typeof x;
        if (t === 'number' || t === 'boolean' || t === 'undefined') {
          w.size += 8;
          put(f, x);
          continue;
        }
      } else if (f.kind === MAP) {
        if (!f.atValue) {
          const r = f.it!.next();
          if (r.done) {
            finish();
            continue;
          }
          const [k, val] = r.value as [unknown, unknown];
          f.key = '<map key>';
          f.label = typeof k === 'string' || typeof k === 'number' ? k : '<map value>';
          f.mapValue = val;
          x = k;
        } else x = f.mapValue;
      } else {
        const r = f.it!.next();
        if (r.done) {
          finish();
          continue;
        }
        f.key = '<set item>';
        x = r.value;
      }
      const v = child(x);
      if (v !== OPENED) put(f, v);
    }
  } catch (e) {
    if (e instanceof CopyFail) for (let i = frames.length - 1; i >= 0; i--) e.path.push(frames[i].key);
    throw e;
  }
  return result;

  /** Closes the container on top and puts its copy in the one below. */
  function finish(): void {
    const f = frames.pop()!;
    open.delete(f.src);
    if (frames.length === 0) result = f.out;
    else put(frames[frames.length - 1], f.out);
  }
}

function copyArray(o: unknown[], w: Walk): unknown[] {
  const n = o.length;
  const a = new Array(n);
  w.size += 16 + 8 * n;
  let i = 0;
  try {
    for (; i < n; i++) {
      const x = o[i];
      const t = typeof x;
      // Numbers, booleans and undefined need no walk (sized above).
      a[i] = t === 'number' || t === 'boolean' || t === 'undefined' ? x : walk(x, w);
    }
  } catch (e) {
    addKey(e, i);
    throw e;
  }
  return a;
}

function copyObject(o: Record<string, unknown>, proto: object | null, w: Walk): Record<string, unknown> {
  if (Object.getOwnPropertySymbols(o).length > 0) throw new CopyFail('an object with a symbol key');
  const r: Record<string, unknown> = proto === null ? Object.create(null) : {};
  const keys = Object.keys(o);
  w.size += 16;
  let k = '';
  try {
    for (let i = 0; i < keys.length; i++) {
      k = keys[i];
      w.size += 8 + k.length;
      const x = o[k];
      const t = typeof x;
      let v: unknown;
      if (t === 'number' || t === 'boolean' || t === 'undefined') {
        w.size += 8;
        v = x;
      } else v = walk(x, w);
      // An own "__proto__" key (JSON.parse makes them) must stay a key, not set the copy's prototype.
      if (k === '__proto__') Object.defineProperty(r, k, { value: v, writable: true, enumerable: true, configurable: true });
      else r[k] = v;
    }
  } catch (e) {
    addKey(e, k);
    throw e;
  }
  return r;
}

/** Approximate size in bytes of a term, without copying it. */
export function termSize(value: unknown): number {
  if (value === null || typeof value !== 'object') return primSize(value);
  const seen = new Set<object>();
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') {
      size += primSize(v);
      continue;
    }
    if (seen.has(v)) continue;
    seen.add(v);
    if (v instanceof Binary || v instanceof Pid || v instanceof Ref || v instanceof Tid || v instanceof Socket) size += 16;
    else if (v instanceof Uint8Array) size += 16 + v.length;
    else if (Array.isArray(v)) {
      size += 16 + 8 * v.length;
      for (const x of v) stack.push(x);
    } else if (v instanceof Map) {
      size += 32;
      for (const [k, x] of v) stack.push(k, x);
    } else if (v instanceof Set) {
      size += 32;
      for (const x of v) stack.push(x);
    } else {
      size += 16;
      for (const k of Object.keys(v)) {
        size += 8 + k.length;
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
  }
  return size;
}
