/**
 * The tables' internals, shared by ets.ts (tables, single keys) and
 * ets_scan.ts (walks): the table records, lookup by id or name with the
 * access check, and writing entries with their memory accounting.
 */
import { Proc, state, type Reason } from './process.ts';
import { holdBinaries, releaseBinaries } from './binaries.ts';
import { Pid, Tid, copyTerm, recycle, type Copied } from './term.ts';
import { termEq } from './term_eq.ts';
import { KeyOrder } from './ets_order.ts';
import { keyId, type Key } from './ets_keys.ts';
import { onDeath } from './signals.ts';
import { deliver } from './mailbox.ts';
import { chargedTo, deaths, roomFor } from './pressure.ts';
import { ProcessExit } from './signals.ts';

export { Tid };

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
  /** A tuple table, as OTP's: entries are arrays (tuples, records) whose
   *  element at this 1-based position is the key; insert takes the tuples
   *  and lookup gives them back. Default: a key-value table. */
  keypos?: number;
}

export interface Row {
  key: Key;
  vals: Copied[];
  /** No longer in the table: deleted while a hash table was fixed
   *  (ets_fix.ts), kept in place so that a walk can step past it; or
   *  deleted from an ordered_set, whose order may still hold it a while. */
  dead?: true;
}

/** What the hash holds under a key: a Row, or for a set or ordered_set the
 *  value itself, raw, when the key is its own id (a number other than -0, a
 *  boolean, a string not starting with NUL) and the value a primitive other
 *  than undefined: such an entry costs no object, so that filling a table
 *  costs about what a Map's set does (issue 11). Raw entries are made
 *  Rows (`upgrade`) wherever a Row is asked for: row(), rows(), a walk, an
 *  ordered_set's order. */
export type Stored = Row | number | string | boolean | bigint | null;

/** A stored entry that is a value, not a Row. */
export function isRaw(s: Stored): s is number | string | boolean | bigint | null {
  return typeof s !== 'object' || s === null;
}

/** The size a copy of a primitive counts (term.ts's copyTerm). */
export function primSize(v: unknown): number {
  return typeof v === 'string' ? 16 + v.length : typeof v === 'bigint' ? 16 : 8;
}

export const ENTRY_BYTES = 48;
/** A table's own bytes, before its entries. */
export const TABLE_BYTES = 200;

export class Table {
  readonly tid = new Tid();
  /** Every row by its key's id (keyId), in every type: a read or write of
   *  one key never walks the order. */
  hash = new Map<unknown, Stored>();
  /** ordered_set only: the keys in order. */
  tree: KeyOrder | null;
  bytes = 0;
  count = 0;
  maxMemory = 0;
  /** 1-based key position of a tuple table; 0 for a key-value table. */
  keypos = 0;
  /** safeFixtable's fixations by process (count each), null when not fixed. */
  fixes: Map<Proc, number> | null = null;
  /** When the table was first fixed (monotonic ms). */
  fixedAt = 0;
  /** Rows deleted while fixed, still in `hash` (dead). */
  ghosts = 0;
  /** Raw entries in `hash` (see Stored). */
  raw = 0;
  /** May hold raw entries: a set or ordered_set of key-value entries (set
   *  by newTable with keypos). */
  rawable = false;
  /** Every entry is raw, its value 8 bytes (a number, a boolean, null),
   *  and no maxMemory: so an insert of a number under a number key is one
   *  Map set. `count`, `raw` and `bytes` are not kept meanwhile: the count
   *  is the Map's size (info, tableBytes; unflat sets them). Set by
   *  newTable; false for good (unflat) at the first Row or other raw value
   *  (a delete makes a Row: upgrade). */
  flat = false;
  /** Not public: get checks the caller. */
  readonly guarded: boolean;
  /** Private: get checks a reader too. */
  readonly readGuarded: boolean;
  constructor(
    readonly type: TableType,
    readonly access: Access,
    public name: string | null,
    public owner: Proc | null,
    public heir: { proc: Proc; data: Copied } | null,
  ) {
    this.guarded = access !== 'public';
    this.readGuarded = access === 'private';
    this.tree = type === 'ordered_set' ? new KeyOrder((k) => this.has(k), () => this.hash.keys()) : null;
  }
  row(k: Key): Row | undefined {
    const id = typeof k === 'number' ? k : keyId(k);
    const s = this.hash.get(id);
    if (s === undefined) return undefined;
    if (isRaw(s)) return this.upgrade(id, s);
    return s.dead ? undefined : s;
  }
  /** Is a live entry under `k`? (No Row made.) */
  has(k: Key): boolean {
    const s = this.hash.get(typeof k === 'number' ? k : keyId(k));
    return s !== undefined && (isRaw(s) || !s.dead);
  }
  /** The raw entry under `id` made a Row, in place (a Map keeps a key's
   *  place when it is set again). */
  upgrade(id: unknown, v: Stored): Row {
    const r: Row = { key: id as Key, vals: [{ value: v, size: primSize(v), binaries: null }] };
    this.unflat();
    this.hash.set(id, r);
    this.raw--;
    return r;
  }
  /** No longer flat: `raw` and `bytes` as they are. */
  unflat(): void {
    if (!this.flat) return;
    if (this.tree !== null) this.tree.list(); // (the hash holds only keys still)
    this.flat = false;
    this.count = this.hash.size;
    this.raw = this.count;
    this.bytes = this.count * (ENTRY_BYTES + 8);
  }
  /** Every row; for ordered_set, with `after`, those with greater keys only. */
  rows(after?: Key): Iterable<Row> {
    if (this.tree) return this.ordered(this.tree.keys(after));
    return this.ghosts > 0 || this.raw > 0 || this.flat ? live(this) : (this.hash.values() as Iterable<Row>);
  }
  /** The rows of an ordered_set's keys (each in the table). */
  private *ordered(keys: Iterable<Key>): Generator<Row> {
    for (const k of keys) yield this.row(k)!;
  }
  /** The hash's entries, every one a Row (raw ones made Rows as they come). */
  *entries(): Generator<[unknown, Row]> {
    for (const [id, s] of this.hash) yield [id, isRaw(s) ? this.upgrade(id, s) : s];
  }
  /** Every row, last first. O(n) extra for the hash types (a copy of the order). */
  rowsReversed(): Iterable<Row> {
    return this.tree ? this.ordered(this.tree.keysReversed()) : [...this.rows()].reverse();
  }
}

function* live(t: Table): Generator<Row> {
  for (const [, r] of t.entries()) if (!r.dead) yield r;
}

export const tables = new Map<number, Table>();
export const named = new Map<string, Table>();
/** The live tables by their Tid object (one per table, passed by
 *  reference): get's lookup, a Map's get where `instanceof` and `.id` cost
 *  QuickJS three times as much. */
const byTid = new Map<unknown, Table>();
/** The table get found last by its Tid, and that Tid: a loop of calls on
 *  one table costs a compare, not a Map's get (ets.ts's insert and lookup
 *  compare inline). */
export let lastTid: unknown = null;
export let lastTable: Table | null = null;
/** A live process get let read lastTable (lastReader), and write it too
 *  (lastWriter): the next call of it on that table is let through on a
 *  compare. Forgotten at any death, change of owner or drop. */
export let lastReader: Proc | null = null;
export let lastWriter: Proc | null = null;

/** A new table, findable by id (and name). */
export function register(t: Table): void {
  tables.set(t.tid.id, t);
  byTid.set(t.tid, t);
  if (t.name !== null) named.set(t.name, t);
}

/** Tables by owner, so that a death visits the dead process's tables only. */
const owned = new Map<Proc, Set<Table>>();

export function own(t: Table, p: Proc): void {
  lastReader = lastWriter = null;
  // p's set first: if it runs out of memory, t is still its old owner's.
  let mine = owned.get(p);
  if (!mine) owned.set(p, (mine = new Set()));
  mine.add(t);
  if (t.owner && t.owner !== p) owned.get(t.owner)?.delete(t);
  t.owner = p;
}

chargedTo.push((p: Proc) => {
  const mine = owned.get(p);
  let n = 0;
  if (mine) for (const t of mine) n += TABLE_BYTES + tableBytes(t);
  return n;
});

// Each table leaves p's set as it is handed on (told first) or dropped, and
// the set goes last: a death that runs out of memory midway runs this again
// (signals.ts, die) for the tables left.
onDeath.push((p: Proc, _r: Reason) => {
  lastReader = lastWriter = null; // p is not alive now
  const mine = owned.get(p);
  if (!mine) return;
  for (const t of mine) {
    const h = t.heir;
    if (h && h.proc.alive && h.proc !== p) {
      deliver(h.proc, { type: 'ETS-TRANSFER', table: t.tid, from: p.pid, data: h.data.value });
      own(t, h.proc);
      t.heir = null;
    } else drop(t);
  }
  owned.delete(p);
});

export function drop(t: Table): void {
  // The hash holds every row (no order needed: an ordered_set is not settled).
  for (const r of t.hash.values()) if (!isRaw(r)) for (const v of r.vals) if (v.binaries) releaseBinaries(v.binaries);
  tables.delete(t.tid.id);
  byTid.delete(t.tid);
  if (lastTable === t) {
    lastTid = null;
    lastTable = null;
    lastReader = lastWriter = null;
  }
  if (t.name !== null) named.delete(t.name);
  if (t.owner) owned.get(t.owner)?.delete(t);
}

export function find(what: string, ref: Tid | string): Table {
  const t = ref instanceof Tid ? tables.get(ref.id) : typeof ref === 'string' ? named.get(ref) : undefined;
  if (!t) {
    if (!(ref instanceof Tid) && typeof ref !== 'string') throw new TypeError(`${what}: expected a table id or name, got ${String(ref)}`);
    throw new Error(`${what}: no table ${typeof ref === 'string' ? JSON.stringify(ref) : String(ref)}`);
  }
  return t;
}

export function get(what: string, ref: Tid | string, write: boolean): Table {
  // Every table operation comes here: a table by its Tid without find's
  // call, and process.ts's caller() inline.
  let t: Table;
  if (ref === lastTid) t = lastTable!;
  else {
    const found = byTid.get(ref);
    if (found === undefined) t = find(what, ref);
    else {
      t = found;
      lastTid = ref;
      lastTable = found;
      lastReader = lastWriter = null;
    }
  }
  const caller = state.current;
  if (caller !== null) {
    // A dead process (it caught its own exit) gets its exit again.
    if (!caller.alive) throw new ProcessExit(caller.exitReason);
    // One reduction per operation, as a send costs: a loop of table calls
    // that polls now and then yields at the poll once its slice is spent.
    state.spent++; // scheduler.ts's charge, inline
    caller.reductions++;
  }
  if (t.guarded && caller !== t.owner && (write || t.readGuarded)) {
    throw new Error(`${what}: ${t.access} table ${t.name ?? String(t.tid)} is not ${write ? 'writable' : 'readable'} by ${caller ? caller.pid : 'code outside a process'}`);
  }
  if (caller !== null && t === lastTable) {
    if (!t.guarded || caller === t.owner) lastReader = lastWriter = caller;
    else if (!t.readGuarded) {
      lastReader = caller;
      lastWriter = null;
    }
  }
  return t;
}

/** Bag duplicates: whole-term equality (=:=), see term_eq.ts. */
export function same(a: Copied, b: Copied): boolean {
  return termEq(a.value, b.value);
}

/** A stored value handed out: primitives as they are, the rest copied (the
 *  copy's record goes back to term.ts at once: nothing holds it). */
export function copyOut(v: unknown, what: string): unknown {
  if (v === null || typeof v !== 'object') return v;
  const c = copyTerm(v, what);
  const out = c.value;
  recycle(c);
  return out;
}

/** A set or ordered_set's write of `v` under `k`, both raw (see Stored),
 *  `size` its ENTRY_BYTES + primSize(v): checked as charge() does, no
 *  object made unless a Row is there already (written in place, as put does). */
export function putRaw(what: string, t: Table, k: number | string | boolean, v: number | string | boolean | bigint | null, size: number): void {
  // charge()'s common case inline (a call costs QuickJS about a Map's set).
  if (t.maxMemory > 0 || size > credit.left) charge(what, t, size);
  else credit.left -= size;
  if (size !== ENTRY_BYTES + 8) t.unflat();
  const old = t.hash.get(k);
  if (old === undefined) {
    t.hash.set(k, v);
    t.raw++;
    if (t.tree) t.tree.add(k);
    t.count++;
    t.bytes += size;
  } else if (isRaw(old)) {
    t.hash.set(k, v);
    t.bytes += size - ENTRY_BYTES - primSize(old);
  } else put(t, k, { value: v, size: size - ENTRY_BYTES, binaries: null });
}

export function put(t: Table, key: Key, val: Copied): void {
  const id = typeof key === 'number' ? key : keyId(key);
  let r = t.hash.get(id);
  if (r !== undefined && isRaw(r)) r = t.upgrade(id, r);
  if (r === undefined || r.dead) {
    if (r !== undefined) t.ghosts--; // back where it was deleted (ets_fix.ts)
    const row: Row = { key, vals: [val] };
    if (t.flat) t.unflat();
    t.hash.set(id, row);
    if (t.tree) t.tree.add(key);
  } else if (t.type === 'set' || t.type === 'ordered_set') {
    // In place, as replaceValue writes: the row keeps its one array.
    for (let i = 0; i < r.vals.length; i++) remove(t, r.vals[i]);
    r.vals.length = 1;
    r.vals[0] = val;
  } else if (t.type === 'bag' && r.vals.some((v) => same(v, val))) return;
  else r.vals.push(val);
  t.count++;
  t.bytes += ENTRY_BYTES + val.size;
  if (val.binaries) holdBinaries(val.binaries);
}

export function remove(t: Table, val: Copied): void {
  t.count--;
  t.bytes -= ENTRY_BYTES + val.size;
  if (val.binaries) releaseBinaries(val.binaries);
}

export function removeRow(t: Table, r: Row): void {
  for (const v of r.vals) remove(t, v);
  if (t.tree) {
    // A walk of an ordered_set goes by key: nothing to keep in place.
    t.hash.delete(keyId(r.key));
    r.dead = true; // a walk (a continuation, a cursor) may hold it still
    t.tree.remove(r.key);
  } else if (t.fixes) {
    // Fixed: the row stays where it is, dead, until the last unfix.
    r.vals = [];
    r.dead = true;
    t.ghosts++;
  } else t.hash.delete(keyId(r.key));
}

/** The last fixation went: the rows deleted meanwhile leave for good. */
export function unfixed(t: Table): void {
  t.fixes = null;
  if (t.ghosts === 0) return;
  for (const [id, r] of t.hash) if (!isRaw(r) && r.dead) t.hash.delete(id);
  t.ghosts = 0;
}

/** After a look that found room (roomFor), this many bytes of writes go
 *  without another (owed to roomFor, told at the next): pressure.ts looks
 *  at the heap once per 1/64 of it grown anyway, and three calls per
 *  insert cost QuickJS twice a Map's set. `credit`: the bytes left of it
 *  (an object, so that ets.ts's insert spends it inline), and of `given`
 *  (what is owed is the difference). */
const CREDIT = 4096;
export const credit = { left: 0, given: 0 };

/** Before a write that grows `t` by about `bytes`: throws, the table
 *  unchanged, past its maxMemory or when the heap has no room for it. */
export function charge(what: string, t: Table, bytes: number): void {
  if (t.maxMemory > 0 && TABLE_BYTES + t.bytes + bytes > t.maxMemory) {
    throw new Error(`${what}: table ${tableName(t)} is full: ${TABLE_BYTES + t.bytes} bytes, ${bytes} more would pass its maxMemory (${t.maxMemory})`);
  }
  if (bytes <= credit.left) {
    credit.left -= bytes;
    return;
  }
  const killed = deaths();
  const room = roomFor(bytes + credit.given - credit.left);
  credit.given = 0;
  credit.left = 0;
  if (room && deaths() === killed) {
    credit.left = credit.given = CREDIT;
    return;
  }
  const caller = state.current;
  if (caller && !caller.alive) throw new ProcessExit(caller.exitReason); // relief took the caller
  if (!tables.has(t.tid.id)) throw new Error(`${what}: no table ${tableName(t)} (its owner died of memory pressure)`);
  if (!room) throw new Error(`${what}: out of memory: the heap has no room for ${bytes} more bytes in table ${tableName(t)}`);
}

/** The bytes of `t`'s entries, as `info().memory` counts them (less TABLE_BYTES). */
export function tableBytes(t: Table): number {
  return t.flat ? t.hash.size * (ENTRY_BYTES + 8) : t.bytes;
}

export function tableName(t: Table): string {
  return t.name ?? String(t.tid);
}


/** Removes the values of `r` that `drop` accepts (the row too, if none is
 *  left); how many were removed. */
export function removeValues(t: Table, r: Row, drop: (v: Copied) => boolean): number {
  const kept: Copied[] = [];
  for (const v of r.vals) if (!drop(v)) kept.push(v);
  const n = r.vals.length - kept.length;
  if (n === 0) return 0;
  if (kept.length === 0) {
    removeRow(t, r);
    return n;
  }
  for (const v of r.vals) if (!kept.includes(v)) remove(t, v);
  r.vals = kept;
  return n;
}

/** Puts `val` in place of the value at `j` of `r` (a bag drops it instead
 *  if it would equal another of the row's values). */
export function replaceValue(t: Table, r: Row, j: number, val: Copied): void {
  remove(t, r.vals[j]);
  if (t.type === 'bag' && r.vals.some((v, i) => i !== j && same(v, val))) {
    r.vals.splice(j, 1);
    if (r.vals.length === 0) removeRow(t, r);
    return;
  }
  r.vals[j] = val;
  t.count++;
  t.bytes += ENTRY_BYTES + val.size;
  if (val.binaries) holdBinaries(val.binaries);
}
