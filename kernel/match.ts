/**
 * Receive patterns: what a matcher is, and the one test a receive compiles
 * from its matchers.
 */

/** How a receive matches:
 *   - a predicate `(msg) => boolean`;
 *   - a primitive (string, number, boolean, bigint): the message equals it;
 *   - a pattern object: every key must be present in the message and match,
 *     recursively for nested plain objects; a function value is a predicate
 *     on that field; `ANY` matches any value; anything else compares `===`
 *     (so pids and refs match by identity). */
export type Matcher = ((msg: any) => boolean) | Record<string, unknown> | string | number | boolean | bigint;

/** In a pattern, matches any value present under that key. */
export const ANY: unique symbol = Symbol('mote.any');

function matchPattern(pat: Record<string, unknown>, v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  for (const k of Object.keys(pat)) {
    const want = pat[k];
    if (want === undefined && !(k in (v as object))) return false;
    const got = (v as Record<string, unknown>)[k];
    if (want !== null && typeof want === 'object' && Object.getPrototypeOf(want) === Object.prototype) {
      if (!matchPattern(want as Record<string, unknown>, got)) return false;
    } else if (want === ANY) {
      if (!(k in (v as object))) return false;
    } else if (typeof want === 'function') {
      if ((want as (x: unknown) => boolean)(got) !== true) return false;
    } else if (want !== got && !(Number.isNaN(want) && Number.isNaN(got))) {
      return false;
    }
  }
  return true;
}

/** A test that is `msg[key] === want` for an object message: receive's
 *  scan runs it inline, without a call per queued message. */
export type KeyTest = ((v: unknown) => boolean) & { key?: string; want?: unknown; exposes?: boolean };

/** One test for a receive's matchers, compiled once per receive so that
 *  scanning a long mailbox does not redo the pattern's set-up per message. */
export function compileMatchers(list: Matcher[] | null): ((msg: unknown) => boolean) | null {
  if (!list) return null;
  const tests = list.map(compileOne);
  if (tests.length === 1) return tests[0];
  const any: KeyTest = (v) => {
    for (const t of tests) if (t(v)) return true;
    return false;
  };
  for (const t of tests) if ((t as KeyTest).exposes) any.exposes = true;
  return any;
}

function compileOne(m: Matcher): (v: unknown) => boolean {
  if (typeof m === 'function') {
    // It is handed the queued message itself, which the program may keep
    // and change (receive.ts's memo must not trust that mailbox then).
    const f: KeyTest = (v) => m(v) === true;
    f.exposes = true;
    return f;
  }
  if (typeof m !== 'object') return (v) => v === m;
  const keys = Object.keys(m);
  // The common case: flat patterns of identities and primitives.
  if (keys.length === 1) {
    const k = keys[0];
    const want = m[k];
    const identity = want !== null && typeof want === 'object' && !Array.isArray(want) && Object.getPrototypeOf(want) !== Object.prototype;
    const primitive = typeof want !== 'object' && typeof want !== 'function' && want !== undefined && want !== ANY && want === want;
    if (identity || want === null || primitive) {
      const f: KeyTest = (v) => v !== null && typeof v === 'object' && (v as Record<string, unknown>)[k] === want;
      f.key = k;
      f.want = want;
      return f;
    }
  }
  return (v) => matchPattern(m, v);
}
