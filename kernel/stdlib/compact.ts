/**
 * What hibernate does to a gen_server's state (gen_server.ts). An idle mote
 * server already holds no JS frame, so of OTP's hibernate (drop the stack,
 * then a garbage collection that shrinks the heap to the live data) what is
 * left is the second half: the state is rebuilt at its exact size. Neither
 * QuickJS nor V8 gives back an array's storage as it empties, nor a Map's
 * table as it loses entries: a buffer grown to 200 numbers in a burst and
 * drained to 4 holds ~2,200 bytes on QuickJS, ~100 once rebuilt, and a Map
 * of 200 cut to 4 ~1,470, ~470 rebuilt (otp_gen_server's hibernate case
 * measures 1,000 servers whose buffer grew to 400: ~4,300 bytes fewer each
 * on QuickJS, ~1,400 on node).
 *
 * Only plain data is rebuilt (arrays, plain objects, Map, Set); everything
 * else (class instances, functions, typed arrays, binaries, pids) is kept
 * as it is, by reference, as are frozen or sealed objects and arrays with
 * properties besides their elements; Map keys and Set members keep their
 * identity. Shared parts stay shared, cycles stay cycles: the result is the
 * same value, only smaller. It is a copy: an object outside the state that
 * a part of it was (a module's cache, say) is that part no longer.
 */

export function compact<T>(value: T): T {
  return rebuild(value, new Map()) as T;
}

function rebuild(v: unknown, done: Map<object, unknown>): unknown {
  if (v === null || typeof v !== 'object') return v;
  const seen = done.get(v);
  if (seen !== undefined) return seen;
  if (!Object.isExtensible(v)) return v;
  const proto = Object.getPrototypeOf(v);
  if (proto === Array.prototype && Array.isArray(v)) {
    if (Object.keys(v).length !== v.length) return v; // holes or named properties
    const a = v.slice();
    done.set(v, a);
    for (let i = 0; i < a.length; i++) a[i] = rebuild(a[i], done);
    return a;
  }
  if (proto === Object.prototype || proto === null) {
    const keys = Object.keys(v);
    if (Object.getOwnPropertyNames(v).length !== keys.length || Object.getOwnPropertySymbols(v).length > 0) return v;
    const o: Record<string, unknown> = proto === null ? Object.create(null) : {};
    done.set(v, o);
    for (const k of keys) {
      const x = rebuild((v as Record<string, unknown>)[k], done);
      if (k === '__proto__') Object.defineProperty(o, k, { value: x, writable: true, enumerable: true, configurable: true });
      else o[k] = x;
    }
    return o;
  }
  if (proto === Map.prototype && v instanceof Map) {
    const m = new Map();
    done.set(v, m);
    for (const [k, x] of v) m.set(k, rebuild(x, done)); // keys keep their identity
    return m;
  }
  if (proto === Set.prototype && v instanceof Set) {
    const s = new Set();
    done.set(v, s);
    for (const x of v) s.add(x); // members keep their identity
    return s;
  }
  return v;
}
