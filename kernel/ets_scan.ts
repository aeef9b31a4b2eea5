/**
 * Walking a table: select and match (by a predicate, where OTP has match
 * specs), in chunks with a continuation; counting, deleting and folding by
 * predicate; first/next/last/prev. Order: key order for ordered_set,
 * insertion order otherwise (last and prev are O(n) there, O(log n) on an
 * ordered_set).
 *
 * Every predicate and fold function sees copies, as a match spec sees
 * terms: it cannot change the table through what it is shown. A fold may
 * write to the table; it walks the rows as they were when it started.
 */
import { copyTerm, Tid, type Copied } from './term.ts';
import { checkKey, copyKey, keyId, type Key } from './ets_keys.ts';
import { tables, get, charge, removeValues, replaceValue, copyOut, type Row, type Table } from './ets_table.ts';

export type Pred = (key: Key, value: any) => boolean;

/** What a scan shows a predicate: a copy of the key and of the value. */
function shown(r: Row, v: Copied): [Key, unknown] {
  return [copyKey(r.key), copyOut(v.value, 'ets')];
}

function checkPred(what: string, pred: unknown): void {
  if (typeof pred !== 'function') throw new TypeError(`${what}: pred must be a function (key, value) => boolean`);
}

/** Every [key, value] the predicate accepts (copies). A scan costs a copy
 *  of every value it visits: key a big table by what you look it up by. */
export function match(table: Tid | string, pred: Pred): [Key, unknown][] {
  return select(table, pred);
}

/** Where a select with a limit stopped; pass it to selectMore. Opaque,
 *  and reusable (the same chunk comes again). For an ordered_set it holds
 *  the last key (resumed in O(log n), seeing what changed meanwhile); for
 *  the other types the rows not yet walked, as they were when the first
 *  chunk filled (rows deleted since are passed over, values are read as
 *  they are; rows added since are not seen, as ets:select/1 may miss them
 *  on a table that is not fixed). It belongs to the table it came from:
 *  used after that table is deleted (even if another was made under the
 *  same name) it is an Error, as OTP's badarg. */
export class Continuation {
  /** @internal */
  constructor(
    readonly tid: Tid,
    readonly pred: Pred,
    readonly limit: number,
    readonly after: Key | undefined,
    readonly rows: readonly Row[] | null,
    readonly pos: number,
    readonly val: number,
  ) {}
}

export const END_OF_TABLE = '$end_of_table';
export type EndOfTable = typeof END_OF_TABLE;

/** A chunk: its items and where to go on (END_OF_TABLE when the table was
 *  walked to its end: selectMore gives END_OF_TABLE then). */
export interface Selection {
  items: [Key, unknown][];
  more: Continuation | EndOfTable;
}

/** Every match (no limit), as ets:select/2; with a limit, the first chunk
 *  of at most `limit` matches, or END_OF_TABLE if there is none, as
 *  ets:select/3. */
export function select(table: Tid | string, pred: Pred): [Key, unknown][];
export function select(table: Tid | string, pred: Pred, limit: number): Selection | EndOfTable;
export function select(table: Tid | string, pred: Pred, limit?: number): [Key, unknown][] | Selection | EndOfTable {
  checkPred('ets.select', pred);
  const t = get('ets.select', table, false);
  if (limit === undefined) {
    const out: [Key, unknown][] = [];
    for (const r of t.rows()) for (const v of r.vals) {
      const e = shown(r, v);
      if (pred(e[0], e[1])) out.push(e);
    }
    return out;
  }
  if (typeof limit !== 'number' || !(limit >= 1) || !Number.isInteger(limit)) throw new RangeError('ets.select: limit must be an integer >= 1');
  return chunk(t, new Continuation(t.tid, pred, limit, undefined, null, 0, 0));
}

/** The next chunk after a select with a limit, or END_OF_TABLE. */
export function selectMore(more: Continuation | EndOfTable): Selection | EndOfTable {
  if (more === END_OF_TABLE) return END_OF_TABLE;
  if (!(more instanceof Continuation)) throw new TypeError('ets.selectMore: expected a continuation from ets.select');
  if (!tables.has(more.tid.id)) throw new Error(`ets.selectMore: badarg: the continuation's table ${String(more.tid)} no longer exists`);
  return chunk(get('ets.selectMore', more.tid, false), more);
}

function chunk(t: Table, from: Continuation): Selection | EndOfTable {
  const { pred, limit } = from;
  const items: [Key, unknown][] = [];
  // A full chunk comes back with a continuation at once, as OTP's (the next
  // select may find nothing: END_OF_TABLE then).
  const full = (r: Row, j: number, rest: () => { rows: readonly Row[]; pos: number }): Selection => {
    if (t.tree) return { items, more: new Continuation(t.tid, pred, limit, copyKey(r.key), null, 0, 0) };
    const { rows, pos } = rest();
    return { items, more: new Continuation(t.tid, pred, limit, undefined, rows, pos, j + 1) };
  };
  if (from.rows) {
    // The rows the first chunk left, shared by every later continuation.
    const rows = from.rows;
    for (let i = from.pos; i < rows.length; i++) {
      const r = rows[i];
      if (r.dead || t.hash.get(keyId(r.key)) !== r) continue; // deleted since
      for (let j = i === from.pos ? from.val : 0; j < r.vals.length; j++) {
        const e = shown(r, r.vals[j]);
        if (!pred(e[0], e[1])) continue;
        items.push(e);
        if (items.length === limit) return full(r, j, () => ({ rows, pos: i }));
      }
    }
  } else {
    // The tree after a key; a hash table live, on its first chunk.
    const it = t.rows(from.after)[Symbol.iterator]();
    for (let n = it.next(); !n.done; n = it.next()) {
      const r = n.value;
      for (let j = 0; j < r.vals.length; j++) {
        const e = shown(r, r.vals[j]);
        if (!pred(e[0], e[1])) continue;
        items.push(e);
        if (items.length === limit) return full(r, j, () => ({ rows: [r, ...iterRest(it)], pos: 0 }));
      }
    }
  }
  if (items.length === 0) return END_OF_TABLE;
  return { items, more: END_OF_TABLE };
}

function iterRest<T>(it: Iterator<T>): T[] {
  const out: T[] = [];
  for (let n = it.next(); !n.done; n = it.next()) out.push(n.value);
  return out;
}

/** How many entries the predicate accepts. */
export function selectCount(table: Tid | string, pred: Pred): number {
  checkPred('ets.selectCount', pred);
  const t = get('ets.selectCount', table, false);
  let n = 0;
  for (const r of t.rows()) for (const v of r.vals) {
    const e = shown(r, v);
    if (pred(e[0], e[1])) n++;
  }
  return n;
}

/** Deletes the entries the predicate accepts; how many. */
export function selectDelete(table: Tid | string, pred: Pred): number {
  checkPred('ets.selectDelete', pred);
  const t = get('ets.selectDelete', table, true);
  let n = 0;
  for (const r of [...t.rows()]) n += removeValues(t, r, (v) => {
    const e = shown(r, v);
    return pred(e[0], e[1]) === true;
  });
  return n;
}

/** Replaces each value for which `fn` returns a new one (undefined: left
 *  as it is), as ets:select_replace; the keys stay. All new values are
 *  copied, and the memory they add checked, before any is written.
 *  How many were replaced. */
export function selectReplace(table: Tid | string, fn: (key: Key, value: any) => unknown): number {
  const what = 'ets.selectReplace';
  if (typeof fn !== 'function') throw new TypeError(`${what}: fn must be a function (key, value) => new value or undefined`);
  const t = get(what, table, true);
  const changes: [Row, Copied, Copied][] = [];
  for (const r of t.rows()) for (const v of r.vals) {
    const e = shown(r, v);
    const nv = fn(e[0], e[1]);
    if (nv !== undefined) changes.push([r, v, copyTerm(nv, what)]);
  }
  let grow = 0;
  for (const [, old, nv] of changes) grow += nv.size - old.size;
  if (grow > 0) charge(what, t, grow);
  for (const [r, old, nv] of changes) {
    const j = r.vals.indexOf(old);
    if (j >= 0) replaceValue(t, r, j, nv);
  }
  return changes.length;
}

/** Every match, last first (key order reversed for an ordered_set), as
 *  ets:select_reverse/2. */
export function selectReverse(table: Tid | string, pred: Pred): [Key, unknown][] {
  checkPred('ets.selectReverse', pred);
  const t = get('ets.selectReverse', table, false);
  const out: [Key, unknown][] = [];
  for (const r of t.rowsReversed()) for (let j = r.vals.length - 1; j >= 0; j--) {
    const e = shown(r, r.vals[j]);
    if (pred(e[0], e[1])) out.push(e);
  }
  return out;
}

/** ets:match_delete: as selectDelete, without the count. */
export function matchDelete(table: Tid | string, pred: Pred): true {
  selectDelete(table, pred);
  return true;
}

export type Folder<A> = (key: Key, value: any, acc: A) => A;

function fold<A>(what: string, table: Tid | string, fn: Folder<A>, acc: A, reverse: boolean): A {
  if (typeof fn !== 'function') throw new TypeError(`${what}: fn must be a function (key, value, acc) => acc`);
  const t = get(what, table, false);
  const rows = [...(reverse ? t.rowsReversed() : t.rows())];
  for (const r of rows) {
    const vals = reverse ? [...r.vals].reverse() : r.vals;
    for (const v of vals) {
      const [k, x] = shown(r, v);
      acc = fn(k, x, acc);
    }
  }
  return acc;
}

/** Folds over every entry, first to last. */
export function foldl<A>(table: Tid | string, fn: Folder<A>, acc: A): A {
  return fold('ets.foldl', table, fn, acc, false);
}

/** Folds over every entry, last to first. */
export function foldr<A>(table: Tid | string, fn: Folder<A>, acc: A): A {
  return fold('ets.foldr', table, fn, acc, true);
}

/** First key (key order for ordered_set, insertion order otherwise). */
export function first(table: Tid | string): Key | undefined {
  const t = get('ets.first', table, false);
  if (t.tree) {
    const k = t.tree.first();
    return k === undefined ? undefined : copyKey(k);
  }
  for (const r of t.rows()) return copyKey(r.key);
  return undefined;
}

/** Last key of an ordered_set; of another table, the first, as OTP's
 *  ets:last is first there (a hash table has no order to walk back in). */
export function last(table: Tid | string): Key | undefined {
  const t = get('ets.last', table, false);
  if (t.tree) {
    const k = t.tree.last();
    return k === undefined ? undefined : copyKey(k);
  }
  for (const r of t.rows()) return copyKey(r.key);
  return undefined;
}

/** The key after `key`, or undefined at the end. O(log n) for ordered_set. */
export function next(table: Tid | string, key: Key): Key | undefined {
  return step('ets.next', table, key, 1);
}

/** The key before `key` in an ordered_set, or undefined at the start; in
 *  another table next's, as OTP's ets:prev is next there. Walking a hash
 *  table backwards scanned it from the start at each step: 100 rows took
 *  100 ms on metal, and a busy machine's TCG passed the 2 s guard. */
export function prev(table: Tid | string, key: Key): Key | undefined {
  return step('ets.prev', table, key, -1); // step walks a hash table forward only
}

function step(what: string, table: Tid | string, key: Key, dir: 1 | -1): Key | undefined {
  const t = get(what, table, false);
  const k = checkKey(what, key);
  if (t.tree) {
    const n = dir === 1 ? t.tree.next(k) : t.tree.prev(k);
    return n === undefined ? undefined : copyKey(n);
  }
  // A fixed table keeps a row deleted meanwhile in place, dead: a walk
  // steps from it to the next live one (ets_fix.ts).
  return stepOn(what, t, k, keyId(k)); // forward only: prev is next there
}

/** Each hash table's last next(): the row it stepped to and the Map's
 *  iterator just past it. A Map cannot seek to a key, so without it every
 *  next() scanned from the start and a first/next walk was quadratic (2,000
 *  rows ran past the 2 s runaway guard). The iterator is used only while
 *  that row is still its key's: a delete, or a delete and an insert again,
 *  leaves the key another row or none, and the scan decides as before. */
const cursors = new WeakMap<Table, { row: Row; it: Iterator<[unknown, Row]> }>();
// (t.entries() makes raw entries Rows as it passes them, so the cursor's
// row stays its key's as long as a Row would.)

function stepOn(what: string, t: Table, k: Key, id: unknown): Key | undefined {
  const c = cursors.get(t);
  let it: Iterator<[unknown, Row]>;
  if (c !== undefined && t.hash.get(id) === c.row) it = c.it;
  else {
    it = t.entries();
    for (let n = it.next(); n.value?.[0] !== id; n = it.next()) {
      if (n.done) throw new Error(`${what}: key ${JSON.stringify(k)} is not in the table`);
    }
  }
  for (let n = it.next(); !n.done; n = it.next()) {
    const r = n.value[1];
    if (r.dead) continue;
    if (c !== undefined) {
      c.row = r;
      c.it = it;
    } else cursors.set(t, { row: r, it });
    return copyKey(r.key);
  }
  cursors.delete(t);
  return undefined;
}
