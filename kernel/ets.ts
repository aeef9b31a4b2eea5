/**
 * Tables, the ETS analogue. A table maps keys (see ets_keys.ts) to values:
 *
 * | type          | per key                         | order                |
 * | ------------- | ------------------------------- | -------------------- |
 * | set           | one value                       | insertion            |
 * | ordered_set   | one value (treap, O(log n))     | key order            |
 * | bag           | distinct values                 | insertion            |
 * | duplicate_bag | values, duplicates kept         | insertion            |
 *
 * Access: `public` (anyone reads and writes), `protected` (default: the
 * owner writes, anyone reads), `private` (the owner only). The owner is the
 * process that created the table; when it dies the table goes to the heir,
 * which receives `{ type: 'ETS-TRANSFER', table, from, data }`, or is
 * deleted. Values are copied in and out, as messages are.
 *
 * Memory: a table's bytes (as `info().memory` counts them) are charged to its
 * owner, so under memory pressure (pressure.ts) the owner of the biggest
 * tables may be the process that dies, and its tables with it. An insert
 * fails in its caller, with an Error, past the table's `maxMemory`, or when
 * the heap stays short even after that relief: a table never stops the node.
 */
import { Proc, procs, state, holdBinaries, releaseBinaries, type Reason } from './process.ts';
import { copyTerm, Pid, Tid, type Copied } from './term.ts';
import { termEq } from './term_eq.ts';

export { Tid };
import { Treap } from './treap.ts';
import { checkKey, compareKeys, copyKey, keyId, type Key } from './ets_keys.ts';
import { onDeath } from './signals.ts';
import { deliver } from './mailbox.ts';
import { chargedTo, deaths, roomFor } from './pressure.ts';
import { ProcessExit } from './signals.ts';

export type TableType = 'set' | 'ordered_set' | 'bag' | 'duplicate_bag';
export type Access = 'public' | 'protected' | 'private';

export interface TableOptions {
  type?: TableType;
  access?: Access;
  /** A name other processes can use instead of the table id. */
  name?: string;
  heir?: { pid: Pid; data?: unknown };
  /** Bytes (as `info().memory` counts them) past which an insert fails with
   *  an Error in the caller, the table unchanged. Default: no limit of its
   *  own (the heap's still applies). */
  maxMemory?: number;
}

interface Row {
  key: Key;
  vals: Copied[];
}

const ENTRY_BYTES = 48;
/** A table's own bytes, before its entries. */
const TABLE_BYTES = 200;

class Table {
  readonly tid = new Tid();
  hash = new Map<unknown, Row>();
  tree: Treap<Key, Row> | null;
  bytes = 0;
  count = 0;
  maxMemory = 0;
  constructor(
    readonly type: TableType,
    readonly access: Access,
    readonly name: string | null,
    public owner: Proc | null,
    public heir: { proc: Proc; data: Copied } | null,
  ) {
    this.tree = type === 'ordered_set' ? new Treap<Key, Row>(compareKeys) : null;
  }
  row(k: Key): Row | undefined {
    return this.tree ? this.tree.get(k) : this.hash.get(keyId(k));
  }
  /** Every row; for ordered_set, with `after`, those with greater keys only. */
  rows(after?: Key): Iterable<Row> {
    return this.tree ? mapIter(this.tree.entries(after), (e) => e[1]) : this.hash.values();
  }
}

function* mapIter<A, B>(it: Iterable<A>, f: (a: A) => B): Generator<B> {
  for (const a of it) yield f(a);
}

const tables = new Map<number, Table>();
const named = new Map<string, Table>();

/** Tables by owner, so that a death visits the dead process's tables only. */
const owned = new Map<Proc, Set<Table>>();

function own(t: Table, p: Proc): void {
  t.owner = p;
  let mine = owned.get(p);
  if (!mine) owned.set(p, (mine = new Set()));
  mine.add(t);
}

chargedTo.push((p: Proc) => {
  const mine = owned.get(p);
  let n = 0;
  if (mine) for (const t of mine) n += TABLE_BYTES + t.bytes;
  return n;
});

onDeath.push((p: Proc, _r: Reason) => {
  const mine = owned.get(p);
  if (!mine) return;
  owned.delete(p);
  for (const t of mine) {
    const h = t.heir;
    if (h && h.proc.alive && h.proc !== p) {
      own(t, h.proc);
      t.heir = null;
      deliver(h.proc, { type: 'ETS-TRANSFER', table: t.tid, from: p.pid, data: h.data.value });
    } else drop(t);
  }
});

function drop(t: Table): void {
  for (const r of t.rows()) for (const v of r.vals) if (v.binaries) releaseBinaries(v.binaries);
  tables.delete(t.tid.id);
  if (t.name !== null) named.delete(t.name);
  if (t.owner) owned.get(t.owner)?.delete(t);
}

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
  const t = new Table(type, access, opts.name ?? null, null, heir);
  t.maxMemory = maxMemory;
  if (state.current) own(t, state.current);
  tables.set(t.tid.id, t);
  if (t.name !== null) named.set(t.name, t);
  return t.tid;
}

function find(what: string, ref: Tid | string): Table {
  const t = ref instanceof Tid ? tables.get(ref.id) : typeof ref === 'string' ? named.get(ref) : undefined;
  if (!t) {
    if (!(ref instanceof Tid) && typeof ref !== 'string') throw new TypeError(`${what}: expected a table id or name, got ${String(ref)}`);
    throw new Error(`${what}: no table ${typeof ref === 'string' ? JSON.stringify(ref) : String(ref)}`);
  }
  return t;
}

function get(what: string, ref: Tid | string, write: boolean): Table {
  const t = find(what, ref);
  const caller = state.current;
  if (t.access !== 'public' && caller !== t.owner && (write || t.access === 'private')) {
    throw new Error(`${what}: ${t.access} table ${t.name ?? String(t.tid)} is not ${write ? 'writable' : 'readable'} by ${caller ? caller.pid : 'code outside a process'}`);
  }
  return t;
}

/** Bag duplicates: whole-term equality (=:=), see term_eq.ts. */
function same(a: Copied, b: Copied): boolean {
  return termEq(a.value, b.value);
}

function put(t: Table, key: Key, val: Copied): void {
  let r = t.row(key);
  if (!r) {
    r = { key, vals: [] };
    if (t.tree) t.tree.set(key, r);
    else t.hash.set(keyId(key), r);
  }
  if (t.type === 'set' || t.type === 'ordered_set') {
    for (const old of r.vals) remove(t, old);
    r.vals = [];
  } else if (t.type === 'bag' && r.vals.some((v) => same(v, val))) return;
  r.vals.push(val);
  t.count++;
  t.bytes += ENTRY_BYTES + val.size;
  if (val.binaries) holdBinaries(val.binaries);
}

function remove(t: Table, val: Copied): void {
  t.count--;
  t.bytes -= ENTRY_BYTES + val.size;
  if (val.binaries) releaseBinaries(val.binaries);
}

function removeRow(t: Table, r: Row): void {
  for (const v of r.vals) remove(t, v);
  if (t.tree) t.tree.delete(r.key);
  else t.hash.delete(keyId(r.key));
}

/** Inserts one entry, or many at once: all are checked and copied before
 *  any is written, so a bad entry leaves the table unchanged. */
export function insert(table: Tid | string, key: Key, value: unknown): void;
export function insert(table: Tid | string, entries: [Key, unknown][]): void;
export function insert(table: Tid | string, a: unknown, b?: unknown): void {
  const t = get('ets.insert', table, true);
  const batch: [Key, Copied][] = [];
  if (arguments.length >= 3) batch.push([checkKey('ets.insert', a), copyTerm(b, 'ets.insert')]);
  else {
    if (!Array.isArray(a)) throw new TypeError('ets.insert: expected (table, key, value) or (table, [[key, value], ...])');
    for (const e of a) {
      if (!Array.isArray(e) || e.length !== 2) throw new TypeError('ets.insert: each entry must be a [key, value] pair');
      batch.push([checkKey('ets.insert', e[0]), copyTerm(e[1], 'ets.insert')]);
    }
  }
  let bytes = 0;
  for (let i = 0; i < batch.length; i++) bytes += ENTRY_BYTES + batch[i][1].size;
  charge('ets.insert', t, bytes);
  for (const [k, v] of batch) put(t, k, v);
}

/** Before a write that grows `t` by about `bytes`: throws, the table
 *  unchanged, past its maxMemory or when the heap has no room for it. */
function charge(what: string, t: Table, bytes: number): void {
  if (t.maxMemory > 0 && TABLE_BYTES + t.bytes + bytes > t.maxMemory) {
    throw new Error(`${what}: table ${tableName(t)} is full: ${TABLE_BYTES + t.bytes} bytes, ${bytes} more would pass its maxMemory (${t.maxMemory})`);
  }
  const killed = deaths();
  const room = roomFor(bytes);
  if (room && deaths() === killed) return; // the common case: no look at the heap, or it had room
  const caller = state.current;
  if (caller && !caller.alive) throw new ProcessExit(caller.exitReason); // relief took the caller
  if (!tables.has(t.tid.id)) throw new Error(`${what}: no table ${tableName(t)} (its owner died of memory pressure)`);
  if (!room) throw new Error(`${what}: out of memory: the heap has no room for ${bytes} more bytes in table ${tableName(t)}`);
}

function tableName(t: Table): string {
  return t.name ?? String(t.tid);
}

/** All values under `key` (copies), in insertion order; [] if none. */
export function lookup(table: Tid | string, key: Key): unknown[] {
  const t = get('ets.lookup', table, false);
  const r = t.row(checkKey('ets.lookup', key));
  return r ? r.vals.map((v) => copyTerm(v.value, 'ets.lookup').value) : [];
}

/** The one value under `key` for set tables, or undefined. */
export function lookupOne(table: Tid | string, key: Key): unknown {
  return lookup(table, key)[0];
}

export function member(table: Tid | string, key: Key): boolean {
  return get('ets.member', table, false).row(checkKey('ets.member', key)) !== undefined;
}

/** Deletes everything under `key`. */
export function del(table: Tid | string, key: Key): void {
  const t = get('ets.delete', table, true);
  const r = t.row(checkKey('ets.delete', key));
  if (r) removeRow(t, r);
}

export function deleteTable(table: Tid | string): void {
  drop(get('ets.deleteTable', table, true));
}

function single(what: string, t: Table): void {
  if (t.type !== 'set' && t.type !== 'ordered_set') throw new Error(`${what}: only for set and ordered_set tables, not ${t.type}`);
}

/** Adds `incr` to the number under `key`; `initial` is used if the key is
 *  missing (else that is an error). Returns the new number. */
export function updateCounter(table: Tid | string, key: Key, incr: number, initial?: number): number {
  const t = get('ets.updateCounter', table, true);
  single('ets.updateCounter', t);
  if (typeof incr !== 'number' || !Number.isFinite(incr)) throw new TypeError('ets.updateCounter: incr must be a finite number');
  const k = checkKey('ets.updateCounter', key);
  const r = t.row(k);
  let old: unknown = r ? r.vals[0].value : initial;
  if (old === undefined) throw new Error(`ets.updateCounter: no entry for key ${JSON.stringify(k)} and no initial value`);
  if (typeof old !== 'number') throw new TypeError(`ets.updateCounter: the value under ${JSON.stringify(k)} is not a number`);
  old += incr;
  put(t, k, copyTerm(old, 'ets.updateCounter'));
  return old as number;
}

/** Merges `fields` into the object under `key`. False if the key is missing. */
export function updateElement(table: Tid | string, key: Key, fields: Record<string, unknown>): boolean {
  const t = get('ets.updateElement', table, true);
  single('ets.updateElement', t);
  const k = checkKey('ets.updateElement', key);
  const r = t.row(k);
  if (!r) return false;
  const old = r.vals[0].value;
  if (old === null || typeof old !== 'object' || Object.getPrototypeOf(old) !== Object.prototype) {
    throw new TypeError(`ets.updateElement: the value under ${JSON.stringify(k)} is not a plain object`);
  }
  const v = copyTerm({ ...(old as object), ...fields }, 'ets.updateElement');
  charge('ets.updateElement', t, v.size - r.vals[0].size);
  put(t, k, v);
  return true;
}

export type Pred = (key: Key, value: any) => boolean;

/** Every [key, value] the predicate accepts (copies). The predicate sees a
 *  copy of each entry, so it cannot change the table: a scan costs a copy of
 *  every value it visits. Key a big table by what you look it up by. */
export function match(table: Tid | string, pred: Pred): [Key, unknown][] {
  return select(table, pred).items;
}

export interface Selection {
  items: [Key, unknown][];
  /** Pass to `selectMore` for the next batch; null when done. */
  more: Continuation | null;
}

/** Where a select stopped: for an ordered_set, after a key (resumed in
 *  O(log n), and entries added or removed meanwhile are seen as they are);
 *  for the other types, after a count of matches (the scan starts over, so
 *  entries added or removed meanwhile can make it repeat or miss some, as
 *  ets:select/1 may on a table that is not fixed). */
export interface Continuation {
  table: Tid | string;
  pred: Pred;
  limit: number;
  skip: number;
  after?: Key;
}

/** Like match, at most `limit` at a time. */
export function select(table: Tid | string, pred: Pred, limit = Infinity): Selection {
  if (typeof pred !== 'function') throw new TypeError('ets.select: pred must be a function (key, value) => boolean');
  if (!(limit >= 1)) throw new RangeError('ets.select: limit must be >= 1');
  return selectFrom({ table, pred, limit, skip: 0 });
}

export function selectMore(more: Continuation): Selection {
  return selectFrom(more);
}

function selectFrom(from: Continuation): Selection {
  const { table, pred, limit, skip } = from;
  const t = get('ets.select', table, false);
  const items: [Key, unknown][] = [];
  let seen = 0;
  let last: Key | undefined;
  for (const r of t.rows(from.after)) {
    for (const v of r.vals) {
      // The predicate sees copies, as a match spec sees terms: it cannot
      // change the table. An accepted pair is returned as it was shown.
      const key = copyKey(r.key);
      const value = typeof v.value === 'object' && v.value !== null ? copyTerm(v.value, 'ets.select').value : v.value;
      if (!pred(key, value)) continue;
      if (seen++ < skip) continue;
      if (items.length >= limit) {
        const more = t.tree ? { table, pred, limit, skip: 0, after: copyKey(last!) } : { table, pred, limit, skip: skip + items.length };
        return { items, more };
      }
      items.push([key, value]);
      last = r.key;
    }
  }
  return { items, more: null };
}

/** First key (key order for ordered_set, insertion order otherwise). */
export function first(table: Tid | string): Key | undefined {
  const t = get('ets.first', table, false);
  if (t.tree) {
    const k = t.tree.first();
    return k === undefined ? undefined : copyKey(k);
  }
  for (const r of t.hash.values()) return copyKey(r.key);
  return undefined;
}

/** The key after `key`, or undefined at the end. O(log n) for ordered_set. */
export function next(table: Tid | string, key: Key): Key | undefined {
  const t = get('ets.next', table, false);
  const k = checkKey('ets.next', key);
  if (t.tree) {
    const n = t.tree.next(k);
    return n === undefined ? undefined : copyKey(n);
  }
  const id = keyId(k);
  let found = false;
  for (const [i, r] of t.hash) {
    if (found) return copyKey(r.key);
    if (i === id) found = true;
  }
  if (!found) throw new Error(`ets.next: key ${JSON.stringify(k)} is not in the table`);
  return undefined;
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
}

/** Anyone may ask, whatever the access; undefined if there is no such
 *  table (deleted, or its owner died), as with ets:info/1. */
export function info(table: Tid | string): TableInfo | undefined {
  if (!(table instanceof Tid) && typeof table !== 'string') throw new TypeError(`ets.info: expected a table id or name, got ${String(table)}`);
  const t = table instanceof Tid ? tables.get(table.id) : named.get(table);
  if (!t) return undefined;
  return { id: t.tid, name: t.name, type: t.type, access: t.access, owner: t.owner?.pid ?? null, heir: t.heir?.proc.pid ?? null, size: t.count, memory: TABLE_BYTES + t.bytes };
}

export function allTables(): Tid[] {
  return [...tables.values()].map((t) => t.tid);
}

export function tablesMemory(): number {
  let n = 0;
  for (const t of tables.values()) n += TABLE_BYTES + t.bytes;
  return n;
}
