/**
 * Tables, the ETS analogue. A table maps keys (see ets_keys.ts) to values:
 *
 * | type          | per key                         | order                |
 * | ------------- | ------------------------------- | -------------------- |
 * | set           | one value                       | insertion            |
 * | ordered_set   | one value (B+ tree, O(log n))   | key order            |
 * | bag           | distinct values                 | insertion            |
 * | duplicate_bag | values, duplicates kept         | insertion            |
 *
 * Access: `public` (anyone reads and writes), `protected` (default: the
 * owner writes, anyone reads), `private` (the owner only). The owner is the
 * process that created the table; when it dies the table goes to the heir,
 * which receives `{ type: 'ETS-TRANSFER', table, from, data }`, or is
 * deleted. A table made with `keypos` holds tuples (arrays) keyed by the
 * element at that 1-based position, so Erlang records port as they are.
 * The owner may hand it on with giveAway (the same message) and
 * change the heir with setopts. Values are copied in and out, as messages are.
 *
 * Memory: a table's bytes (as `info().memory` counts them) are charged to its
 * owner, so under memory pressure (pressure.ts) the owner of the biggest
 * tables may be the process that dies, and its tables with it. An insert
 * fails in its caller, with an Error, past the table's `maxMemory`, or when
 * the heap stays short even after that relief: a table never stops the node.
 */
import { procs, caller, state } from './process.ts';
import { deliver } from './mailbox.ts';
import { copyTerm, Pid, Tid, type Copied } from './term.ts';
import { termEq } from './term_eq.ts';
import { checkKey, keyId, type Key } from './ets_keys.ts';
import { argc } from './engine_args.ts';
import { Table, tables, named, own, register, drop, find, get, put, putRaw, copyOut, removeRow, removeValues, charge, credit, lastTid, lastTable, lastReader, lastWriter, tableBytes, ENTRY_BYTES, TABLE_BYTES, type Row, type Stored, type TableType, type Access, type TableOptions } from './ets_table.ts';

export { Tid };
export type { TableType, Access, TableOptions };
export * from './ets_scan.ts';
export { safeFixtable } from './ets_fix.ts';
import { safeFixed } from './ets_fix.ts';

/** A raw number's entry: its bytes as copyTerm counts a number. */
const FLAT_BYTES = ENTRY_BYTES + 8;

export function newTable(opts: TableOptions = {}): Tid {
  if (opts === null || typeof opts !== 'object') throw new TypeError('ets.newTable: options must be an object');
  const type = opts.type ?? 'set';
  if (!['set', 'ordered_set', 'bag', 'duplicate_bag'].includes(type)) throw new TypeError(`ets.newTable: unknown type ${JSON.stringify(type)}`);
  const access = opts.access ?? 'protected';
  if (!['public', 'protected', 'private'].includes(access)) throw new TypeError(`ets.newTable: unknown access ${JSON.stringify(access)}`);
  if (opts.name !== undefined) {
    if (typeof opts.name !== 'string' || opts.name === '') throw new TypeError('ets.newTable: name must be a non-empty string');
    if (named.has(opts.name)) throw new Error(`ets.newTable: a table named "${opts.name}" already exists`);
  }
  let heir: Table['heir'] = null;
  if (opts.heir) {
    const hp = opts.heir.pid instanceof Pid ? procs.get(opts.heir.pid.id) : undefined;
    if (!(opts.heir.pid instanceof Pid)) throw new TypeError('ets.newTable: heir.pid must be a pid');
    if (hp) heir = { proc: hp, data: copyTerm(opts.heir.data, 'ets.newTable heir data') };
  }
  const maxMemory = opts.maxMemory ?? 0;
  if (typeof maxMemory !== 'number' || !Number.isInteger(maxMemory) || maxMemory < 0) throw new TypeError(`ets.newTable: maxMemory must be an integer >= 0, got ${String(maxMemory)}`);
  const keypos = opts.keypos ?? 0;
  if (opts.keypos !== undefined && (!Number.isInteger(keypos) || keypos < 1)) throw new TypeError(`ets.newTable: keypos must be an integer >= 1, got ${String(keypos)}`);
  const t = new Table(type, access, opts.name ?? null, null, heir);
  t.maxMemory = maxMemory;
  t.keypos = keypos;
  const p = caller(); // a dead process (it caught its own exit) gets its exit again
  if (p) own(t, p);
  t.rawable = (type === 'set' || type === 'ordered_set') && keypos === 0;
  t.flat = t.rawable && maxMemory === 0;
  register(t);
  return t.tid;
}

/** A tuple table's entry: its key, and the tuple copied. */
function tupleEntry(what: string, t: Table, tuple: unknown): [Key, Copied] {
  if (!Array.isArray(tuple) || tuple.length < t.keypos) throw new TypeError(`${what}: a tuple table (keypos ${t.keypos}) takes arrays of at least ${t.keypos} elements`);
  return [checkKey(what, tuple[t.keypos - 1]), copyTerm(tuple, what)];
}

/** The entries of an insert, checked and copied: (key, value) or a list of
 *  [key, value]; for a tuple table a tuple or a list of tuples (an array of
 *  arrays: a tuple whose elements are all arrays goes in as [tuple]). */
function batchOf(what: string, t: Table, a: unknown, b: unknown, one: boolean): [Key, Copied][] {
  const batch: [Key, Copied][] = [];
  if (t.keypos) {
    if (one || !Array.isArray(a)) throw new TypeError(`${what}: a tuple table (keypos ${t.keypos}) takes (table, tuple) or (table, [tuple, ...])`);
    const list = a.length === 0 || a.every((e) => Array.isArray(e)) ? a : [a];
    for (const e of list) batch.push(tupleEntry(what, t, e));
    return batch;
  }
  if (one) batch.push([checkKey(what, a), copyTerm(b, what)]);
  else {
    if (!Array.isArray(a)) throw new TypeError(`${what}: expected (table, key, value) or (table, [[key, value], ...])`);
    for (const e of a) {
      if (!Array.isArray(e) || e.length !== 2) throw new TypeError(`${what}: each entry must be a [key, value] pair`);
      batch.push([checkKey(what, e[0]), copyTerm(e[1], what)]);
    }
  }
  return batch;
}

function write(what: string, t: Table, batch: [Key, Copied][]): void {
  let bytes = 0;
  for (let i = 0; i < batch.length; i++) bytes += ENTRY_BYTES + batch[i][1].size;
  charge(what, t, bytes);
  for (const [k, v] of batch) put(t, k, v);
}

/** Inserts one entry, or many at once: all are checked and copied before
 *  any is written, so a bad entry leaves the table unchanged. A value that
 *  cannot be copied (a function, a class instance...) is refused with a
 *  TermError in the caller, as a message would be. */
interface Insert {
  (table: Tid | string, key: Key, value: unknown): void;
  (table: Tid | string, entries: [Key, unknown][]): void;
  (table: Tid | string, tuples: unknown[]): void;
}

/** insert where the engine counts arguments (argc, engine_args.ts). */
function insertCounted(table: Tid | string, k0: unknown, v0?: unknown): void {
  // Only the count tells (table, key, undefined) from (table, entries),
  // and it is asked only when v0 is undefined: a rest parameter's array
  // cost QuickJS about 900 instructions an insert, a fifth of it.
  // A flat table's fill first, inline (Table.flat): the table and the
  // caller get() let write it last, a number under a number key (not NaN or
  // -0: they fail all three compares), stored raw by one Map set, the count
  // the Map's size. QuickJS spends 20 to 30 instructions an opcode and about
  // a Map's set on a call: every test saved counts (issue 11).
  const c = state.current;
  let t = lastTable!;
  if (table === lastTid && c === lastWriter && c !== null) {
    state.spent++; // the reduction (scheduler.ts's charge), inline
    c.reductions++;
    if (t.flat && typeof v0 === 'number' && typeof k0 === 'number' && (k0 > 0 || k0 < 0 || 1 / k0 > 0)) {
      // A set's with credit left inline: putFlat's first case.
      if (t.tree === null && FLAT_BYTES <= credit.left) {
        credit.left -= FLAT_BYTES;
        t.hash.set(k0, v0);
      } else putFlat(t, k0, v0);
      return;
    }
  } else t = get('ets.insert', table, true);
  insertInto(t, k0, v0, v0 !== undefined || argc!() > 2);
}

/** insert where a rest parameter is cheap (node), the count its length. */
function insertRest(table: Tid | string, k0: unknown, ...value: unknown[]): void {
  insertInto(get('ets.insert', table, true), k0, value[0], value.length > 0);
}

export const insert: Insert = argc !== null ? insertCounted : insertRest;

/** A flat table's write of a number under a number key (neither NaN nor -0). */
function putFlat(t: Table, k: number, v: number): void {
  // charge()'s common case inline: a flat table has no maxMemory.
  if (FLAT_BYTES > credit.left) charge('ets.insert', t, FLAT_BYTES);
  else credit.left -= FLAT_BYTES;
  const h = t.hash;
  const o = t.tree;
  if (o === null) {
    h.set(k, v);
    return;
  }
  // An ordered_set's new key stays in the hash alone while every key is
  // one (KeyOrder.unlisted): no call and no push.
  h.set(k, v);
  if (h.size !== o.size) {
    if (o.unlisted === o.size) {
      o.unlisted++;
      o.size++;
    } else o.add(k);
  }
}

/** insert's entries written to `t`, which the caller may write: `one`,
 *  the value v0 under the key k0, else k0 the entries. */
function insertInto(t: Table, k0: unknown, v0: unknown, one: boolean): void {
  if (t.flat && one && typeof v0 === 'number' && typeof k0 === 'number' && (k0 > 0 || k0 < 0 || 1 / k0 > 0)) {
    putFlat(t, k0, v0);
    return;
  }
  if (one && t.keypos === 0) {
    // One entry, as most inserts are: no batch to build, and a number key
    // needs no check beyond NaN.
    // A primitive under a plain key (a number, a boolean, a string not
    // starting with NUL), in a set: stored as it is, no copy and no object
    // (ets_table.ts's Stored). Inline, not rawKey and rawValue.
    const tk = typeof k0;
    if (t.rawable && (tk === 'number' ? k0 === k0 && (k0 !== 0 || 1 / (k0 as number) > 0) : tk === 'string' ? (k0 as string).charCodeAt(0) !== 0 : tk === 'boolean')) {
      const tv = typeof v0;
      // The sizes are copyTerm's for primitives.
      const size = tv === 'number' || tv === 'boolean' || v0 === null ? FLAT_BYTES : tv === 'string' ? ENTRY_BYTES + 16 + (v0 as string).length : tv === 'bigint' ? ENTRY_BYTES + 16 : 0;
      if (size > 0) {
        putRaw('ets.insert', t, k0 as number | string | boolean, v0 as number | string | boolean | bigint | null, size);
        return;
      }
    }
    const k = typeof k0 === 'number' && k0 === k0 ? k0 : checkKey('ets.insert', k0);
    const v = copyTerm(v0, 'ets.insert');
    // charge()'s common case inline, as putRaw's.
    const size = ENTRY_BYTES + v.size;
    if (t.maxMemory > 0 || size > credit.left) charge('ets.insert', t, size);
    else credit.left -= size;
    put(t, k, v);
    return;
  }
  write('ets.insert', t, batchOf('ets.insert', t, k0, v0, one));
}

/** As insert, but only if none of the keys is in the table (in any type):
 *  true if written, false (and nothing written) if one was there. */
export function insertNew(table: Tid | string, key: Key, value: unknown): boolean;
export function insertNew(table: Tid | string, entries: [Key, unknown][]): boolean;
export function insertNew(table: Tid | string, tuples: unknown[]): boolean;
export function insertNew(table: Tid | string, a: unknown, ...value: unknown[]): boolean {
  const t = get('ets.insertNew', table, true);
  const batch = batchOf('ets.insertNew', t, a, value[0], value.length > 0);
  for (const [k] of batch) if (t.has(k)) return false;
  write('ets.insertNew', t, batch);
  return true;
}

/** All values under `key` (copies), in insertion order; [] if none. */
export function lookup(table: Tid | string, key: Key): unknown[] {
  // get()'s common case inline, as insert's (the caller it let read it last).
  const c = state.current;
  let t = lastTable!;
  if (table === lastTid && c === lastReader && c !== null) {
    state.spent++; // the reduction (scheduler.ts's charge), inline
    c.reductions++;
  }
  else t = get('ets.lookup', table, false);
  // The key as its own id first: a raw entry found so is the key's (its id
  // is its key, never a string that starts with NUL as encoded ones do),
  // and a primitive is its own copy.
  const s = t.hash.get(key);
  if (s !== undefined) {
    if (typeof s !== 'object' || s === null) return [s];
    // A set's Row under this key, inline too.
    if (s.key === key && s.vals.length === 1 && !s.dead) {
      const v = s.vals[0].value;
      return [v === null || typeof v !== 'object' ? v : copyOut(v, 'ets.lookup')];
    }
  }
  return rowValues(t, key, s);
}

/** lookup's values when `key` as its own id found no raw entry (`s`: what
 *  it found). A Row is the key's if its key is this one; else (a bigint,
 *  an array, a miss) the key is checked and encoded. */
function rowValues(t: Table, key: Key, s: Stored | undefined): unknown[] {
  let r = s;
  if (r === undefined || (r as Row).key !== key) r = t.hash.get(keyId(checkKey('ets.lookup', key)));
  if (r === undefined) return [];
  if (typeof r !== 'object' || r === null) return [r];
  if (r.dead) return [];
  if (r.vals.length === 1) {
    const v = r.vals[0].value;
    return [v === null || typeof v !== 'object' ? v : copyOut(v, 'ets.lookup')];
  }
  const out = new Array<unknown>(r.vals.length);
  for (let i = 0; i < out.length; i++) out[i] = copyOut(r.vals[i].value, 'ets.lookup');
  return out;
}

/** The one value under `key` for set tables, or undefined (the first, for
 *  bags). A raw entry's value is returned as it is: no array made for it. */
export function lookupOne(table: Tid | string, key: Key): unknown {
  const c = state.current;
  let t = lastTable!;
  if (table === lastTid && c === lastReader && c !== null) {
    state.spent++; // the reduction (scheduler.ts's charge), inline
    c.reductions++;
  }
  else t = get('ets.lookup', table, false);
  const s = t.hash.get(key);
  if (s !== undefined && (typeof s !== 'object' || s === null)) return s;
  return rowValues(t, key, s)[0];
}

const NO_DEFAULT = Symbol('no default');

/** The field `field` of the value under `key` (of each value, as a list,
 *  for bags), as ets:lookup_element. A missing key gives `dflt` if given,
 *  else an Error; a value without that field is an Error. */
export function lookupElement(table: Tid | string, key: Key, field: string | number, dflt: unknown = NO_DEFAULT): unknown {
  const what = 'ets.lookupElement';
  const t = get(what, table, false);
  const k = checkKey(what, key);
  if (typeof field !== 'string' && typeof field !== 'number') throw new TypeError(`${what}: field must be a string or a number`);
  const r = t.row(k);
  if (!r) {
    if (dflt !== NO_DEFAULT) return dflt;
    throw new Error(`${what}: no entry for key ${JSON.stringify(k)}`);
  }
  const pick = (v: Copied): unknown => {
    const o = v.value;
    if (t.keypos) {
      // A tuple table's positions are 1-based, as OTP's.
      const a = o as unknown[];
      if (typeof field !== 'number' || !Number.isInteger(field) || field < 1 || field > a.length) throw new Error(`${what}: the tuple under ${JSON.stringify(k)} has no position ${JSON.stringify(field)} (1 to ${a.length})`);
      return copyOut(a[field - 1], what);
    }
    if (o === null || typeof o !== 'object' || !(field in o)) throw new Error(`${what}: the value under ${JSON.stringify(k)} has no field ${JSON.stringify(field)}`);
    const f = (o as Record<string | number, unknown>)[field];
    return copyOut(f, what);
  };
  return t.type === 'set' || t.type === 'ordered_set' ? pick(r.vals[0]) : r.vals.map(pick);
}

export function member(table: Tid | string, key: Key): boolean {
  return get('ets.member', table, false).has(checkKey('ets.member', key));
}

/** Deletes everything under `key`. */
export function del(table: Tid | string, key: Key): void {
  const t = get('ets.delete', table, true);
  const r = t.row(checkKey('ets.delete', key));
  if (r) removeRow(t, r);
}

/** Deletes the values under `key` equal (=:=) to `value`; for a
 *  duplicate_bag every copy of it. */
export function deleteObject(table: Tid | string, key: Key, value: unknown): void {
  const t = get('ets.deleteObject', table, true);
  const r = t.row(checkKey('ets.deleteObject', key));
  if (r) removeValues(t, r, (v) => termEq(v.value, value));
}

/** The values under `key`, removed from the table. */
export function take(table: Tid | string, key: Key): unknown[] {
  const t = get('ets.take', table, true);
  const r = t.row(checkKey('ets.take', key));
  if (!r) return [];
  // Nothing else holds the stored values once they are out: no copy needed.
  const out = r.vals.map((v) => v.value);
  removeRow(t, r);
  return out;
}

/** Empties the table (it stays, with its options). */
export function deleteAllObjects(table: Tid | string): void {
  const t = get('ets.deleteAllObjects', table, true);
  for (const r of [...t.rows()]) removeRow(t, r);
}

export function deleteTable(table: Tid | string): void {
  drop(get('ets.deleteTable', table, true));
}

function single(what: string, t: Table): void {
  if (t.type !== 'set' && t.type !== 'ordered_set') throw new Error(`${what}: only for set and ordered_set tables, not ${t.type}`);
}

/** ets:update_counter's {Pos, Incr, Threshold, SetValue}: past `threshold`
 *  (above it for a positive incr, below for a negative one) the counter is
 *  set to `setValue` instead. */
export interface CounterOp {
  incr: number;
  threshold?: number;
  setValue?: number;
  /** A tuple table's position (1-based) of the counter; default keypos + 1. */
  pos?: number;
}

function counted(old: number, op: { incr: number; threshold?: number; setValue?: number }): number {
  const n = old + op.incr;
  if (op.threshold !== undefined && ((op.incr > 0 && n > op.threshold) || (op.incr < 0 && n < op.threshold))) return op.setValue as number;
  return n;
}

/** updateCounter on a tuple table: the number at `pos` (1-based; default
 *  the one after the key, as OTP's), the default a whole tuple. */
function updateTupleCounter(what: string, t: Table, k: Key, r: Row | undefined, op: { incr: number; threshold?: number; setValue?: number; pos?: number }, initial: unknown): number {
  const pos = op.pos ?? t.keypos + 1;
  const old = r ? r.vals[0].value : initial;
  if (old === undefined) throw new Error(`${what}: no entry for key ${JSON.stringify(k)} and no default tuple`);
  if (!Array.isArray(old) || !Number.isInteger(pos) || pos < 1 || pos > old.length || pos === t.keypos || typeof old[pos - 1] !== 'number') {
    throw new TypeError(`${what}: position ${String(pos)} of the ${r ? `tuple under ${JSON.stringify(k)}` : 'default'} is not a counter`);
  }
  if (!r && termKey(t, old) !== keyId(k)) throw new TypeError(`${what}: the default tuple's key is not ${JSON.stringify(k)}`);
  const n = counted(old[pos - 1] as number, op);
  const next = old.slice();
  next[pos - 1] = n;
  const v = copyTerm(next, what);
  charge(what, t, r ? v.size - r.vals[0].size : ENTRY_BYTES + v.size);
  put(t, k, v);
  return n;
}

function termKey(t: Table, tuple: unknown[]): unknown {
  return keyId(checkKey('ets', tuple[t.keypos - 1]));
}

/** Adds `incr` to the number under `key`; `initial` is used if the key is
 *  missing (else that is an error), as OTP's Default. Returns the new number.
 *  On a tuple table the counter is the element at `pos` (default keypos + 1)
 *  and `initial` a whole tuple. */
export function updateCounter(table: Tid | string, key: Key, incr: number | CounterOp, initial?: number | unknown[]): number {
  const what = 'ets.updateCounter';
  const t = get(what, table, true);
  single(what, t);
  const op = typeof incr === 'number' ? { incr, threshold: undefined, setValue: undefined } : incr;
  if (!op || typeof op !== 'object' || typeof op.incr !== 'number' || !Number.isFinite(op.incr)) throw new TypeError(`${what}: incr must be a finite number or { incr, threshold, setValue }`);
  if (op.threshold !== undefined && (typeof op.threshold !== 'number' || typeof op.setValue !== 'number')) throw new TypeError(`${what}: threshold and setValue must be numbers`);
  const k = checkKey(what, key);
  const r = t.row(k);
  if (t.keypos) return updateTupleCounter(what, t, k, r, op, initial);
  if (!r && initial !== undefined && typeof initial !== 'number') throw new TypeError(`${what}: initial must be a number`);
  const old: unknown = r ? r.vals[0].value : initial;
  if (old === undefined) throw new Error(`${what}: no entry for key ${JSON.stringify(k)} and no initial value`);
  if (typeof old !== 'number') throw new TypeError(`${what}: the value under ${JSON.stringify(k)} is not a number`);
  const n = counted(old, op);
  const v = copyTerm(n, what);
  if (!r) charge(what, t, ENTRY_BYTES + v.size);
  put(t, k, v);
  return n;
}

/** Merges `fields` into the object under `key`. False if the key is
 *  missing, unless `dflt` is given: then `dflt` merged with `fields` is
 *  inserted (OTP's update_element/4) and the result is true. */
export function updateElement(table: Tid | string, key: Key, fields: Record<string, unknown>, dflt?: Record<string, unknown> | unknown[]): boolean {
  const what = 'ets.updateElement';
  const t = get(what, table, true);
  single(what, t);
  const k = checkKey(what, key);
  const r = t.row(k);
  if (t.keypos) return updateTuple(what, t, k, r, fields, dflt);
  const plain = (o: unknown) => o !== null && typeof o === 'object' && Object.getPrototypeOf(o) === Object.prototype;
  if (!r && dflt === undefined) return false;
  const old = r ? r.vals[0].value : dflt;
  if (!plain(old)) throw new TypeError(`${what}: the ${r ? `value under ${JSON.stringify(k)}` : 'default'} is not a plain object`);
  const v = copyTerm({ ...(old as object), ...fields }, what);
  charge(what, t, r ? v.size - r.vals[0].size : ENTRY_BYTES + v.size);
  put(t, k, v);
  return true;
}

/** The table, if the caller owns it (as give_away and setopts ask). */
function owner(what: string, ref: Tid | string): Table {
  const t = find(what, ref);
  const p = caller();
  if (!p || p !== t.owner) throw new Error(`${what}: only the owner of table ${t.name ?? String(t.tid)} may do this`);
  return t;
}

/** The table named `name`, or undefined, as ets:whereis. */
export function whereis(name: string): Tid | undefined {
  if (typeof name !== 'string') throw new TypeError('ets.whereis: name must be a string');
  return named.get(name)?.tid;
}

/** Renames a named table (whoever may write to it); the old name is
 *  free at once and the id stays, so ids and continuations still work.
 *  Returns the name. (A table made without a name has none to change:
 *  OTP's unnamed tables carry a name that nothing finds them by.) */
export function rename(table: Tid | string, name: string): string {
  const t = get('ets.rename', table, true);
  if (typeof name !== 'string' || name === '') throw new TypeError('ets.rename: name must be a non-empty string');
  if (t.name === null) throw new Error(`ets.rename: table ${String(t.tid)} was made without a name`);
  const holder = named.get(name);
  if (holder && holder !== t) throw new Error(`ets.rename: a table named "${name}" already exists`);
  named.delete(t.name);
  t.name = name;
  named.set(name, t);
  return name;
}

/** Makes `pid` the owner, which receives `{ type: 'ETS-TRANSFER', table,
 *  from, data }`, as ets:give_away. The caller must own the table; `pid`
 *  must be another live process. */
export function giveAway(table: Tid | string, pid: Pid, data?: unknown): void {
  const t = owner('ets.giveAway', table);
  if (!(pid instanceof Pid)) throw new TypeError('ets.giveAway: expected a pid');
  const p = procs.get(pid.id);
  if (!p || !p.alive) throw new Error(`ets.giveAway: ${pid} is not alive`);
  if (p === t.owner) throw new Error(`ets.giveAway: ${pid} already owns the table`);
  const d = copyTerm(data, 'ets.giveAway');
  const from = t.owner!.pid;
  own(t, p);
  deliver(p, { type: 'ETS-TRANSFER', table: t.tid, from, data: d.value });
}

/** Changes the heir ({ pid, data }, or null for none), as ets:setopts. */
export function setopts(table: Tid | string, opts: { heir: { pid: Pid; data?: unknown } | null }): void {
  const t = owner('ets.setopts', table);
  if (!opts || typeof opts !== 'object' || !('heir' in opts)) throw new TypeError('ets.setopts: expected { heir: { pid, data } | null }');
  if (opts.heir === null) {
    t.heir = null;
    return;
  }
  if (!(opts.heir.pid instanceof Pid)) throw new TypeError('ets.setopts: heir.pid must be a pid');
  const hp = procs.get(opts.heir.pid.id);
  // As OTP: a heir that is not alive is no heir.
  t.heir = hp && hp.alive ? { proc: hp, data: copyTerm(opts.heir.data, 'ets.setopts heir data') } : null;
}

/** updateElement on a tuple table: `fields` maps 1-based positions to new
 *  elements (not the key's); the default is a whole tuple. */
function updateTuple(what: string, t: Table, k: Key, r: Row | undefined, fields: Record<string, unknown>, dflt: unknown): boolean {
  if (!r && dflt === undefined) return false;
  const old = r ? r.vals[0].value : dflt;
  if (!Array.isArray(old) || old.length < t.keypos) throw new TypeError(`${what}: the ${r ? `value under ${JSON.stringify(k)}` : 'default'} is not a tuple`);
  if (!r && termKey(t, old) !== keyId(k)) throw new TypeError(`${what}: the default tuple's key is not ${JSON.stringify(k)}`);
  const next = old.slice();
  for (const f of Object.keys(fields)) {
    const pos = Number(f);
    if (!Number.isInteger(pos) || pos < 1 || pos > next.length) throw new Error(`${what}: no position ${f} in the tuple (1 to ${next.length})`);
    if (pos === t.keypos) throw new Error(`${what}: position ${pos} is the key's`);
    next[pos - 1] = fields[f];
  }
  const v = copyTerm(next, what);
  charge(what, t, r ? v.size - r.vals[0].size : ENTRY_BYTES + v.size);
  put(t, k, v);
  return true;
}

export interface TableInfo {
  id: Tid;
  name: string | null;
  type: TableType;
  access: Access;
  owner: Pid | null;
  heir: Pid | null;
  /** Entries (values, for bags). */
  size: number;
  /** Approximate bytes. */
  memory: number;
  /** A tuple table's key position, null for a key-value table. */
  keypos: number | null;
}

/** One item of ets:info/2: a TableInfo field, or `fixed` (is the table
 *  fixed by safeFixtable?) or `safe_fixed` (false, or `{ time, procs }`:
 *  when it was first fixed, monotonic ms, and each fixing process with its
 *  count). */
export type InfoItem = keyof TableInfo | 'fixed' | 'safe_fixed';

/** Anyone may ask, whatever the access; undefined if there is no such
 *  table (deleted, or its owner died), as with ets:info/1,2. */
export function info(table: Tid | string): TableInfo | undefined;
export function info(table: Tid | string, item: 'safe_fixed'): ReturnType<typeof safeFixed> | undefined;
export function info<K extends keyof TableInfo>(table: Tid | string, item: K): TableInfo[K] | undefined;
export function info(table: Tid | string, item: 'fixed'): boolean | undefined;
export function info(table: Tid | string, item?: InfoItem): unknown {
  if (!(table instanceof Tid) && typeof table !== 'string') throw new TypeError(`ets.info: expected a table id or name, got ${String(table)}`);
  const t = table instanceof Tid ? tables.get(table.id) : named.get(table);
  if (item !== undefined && !INFO_ITEMS.includes(item)) throw new TypeError(`ets.info: unknown item ${String(item)}`);
  if (!t) return undefined;
  if (item === 'fixed') return t.fixes !== null;
  if (item === 'safe_fixed') return safeFixed(t);
  const all: TableInfo = { id: t.tid, name: t.name, type: t.type, access: t.access, owner: t.owner?.pid ?? null, heir: t.heir?.proc.pid ?? null, size: t.flat ? t.hash.size : t.count, memory: TABLE_BYTES + tableBytes(t), keypos: t.keypos || null };
  return item === undefined ? all : all[item];
}

const INFO_ITEMS: string[] = ['id', 'name', 'type', 'access', 'owner', 'heir', 'size', 'memory', 'keypos', 'fixed', 'safe_fixed'];

export function allTables(): Tid[] {
  return [...tables.values()].map((t) => t.tid);
}

export function tablesMemory(): number {
  let n = 0;
  for (const t of tables.values()) n += TABLE_BYTES + tableBytes(t);
  return n;
}
