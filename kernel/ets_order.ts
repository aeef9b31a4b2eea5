/**
 * The key order of an ordered_set table. The table finds a row by its key
 * through its hash (ets_table.ts); the order is asked only by first, last,
 * next, prev and scans, so it is kept lazily: a new row waits in `pending`,
 * unsorted, and the next question of order sorts what waits and puts it in
 * (settle). Filling a table costs a push per row, and a fill then a walk
 * costs one sort and a B+ tree built in O(n), not a tree insert per row.
 *
 * The order lives in a B+ tree (sorted-btree, ets_btree.ts), chosen over a
 * treap and red-black trees by bench on QuickJS: a quarter of their bytes
 * per entry, the fastest deletes and walks. Its code loads only at the
 * first ordered_set (an import(), through loadOptional): an app without one
 * pays nothing for it. Until it is in (a job later), or if it cannot load,
 * the order is a sorted array, rebuilt by a merge at each settle.
 */
import { compareKeys, type Key } from './ets_keys.ts';
import { loadOptional } from './optional.ts';
import type { BTree } from './ets_btree.ts';

type Trees = typeof import('./ets_btree.ts');

let trees: Trees | null = null;
let loading = false;

function loadTrees(): void {
  if (loading) return;
  loading = true;
  // Refused or failed (a line says so): the sorted array stays the order.
  void loadOptional('ordered_set', () => import('./ets_btree.ts')).then(
    (m) => void (trees = m),
    () => undefined,
  );
}

/** What the order needs of a table's row (ets_table.ts). */
interface Ordered {
  readonly key: Key;
  /** Deleted: the order may still hold it a while. */
  dead?: true;
}

/** A settle of this many new rows or more, against a tree a quarter their
 *  number or less, builds the tree anew from both (O(n)) rather than
 *  putting each in (O(k log n)). */
const REBUILD = 4;

export class KeyOrder<R extends Ordered> {
  private tree: BTree<Key, R> | null = null;
  /** The order while the tree's module is not in: sorted, never changed in
   *  place (a walk in progress keeps the array it started on). */
  private sorted: R[] = [];
  /** Rows added since the last settle, in no order; some may be dead since. */
  private pending: R[] = [];
  /** Ids of raw entries (ets_table.ts's Stored) added since the last
   *  settle: settle asks `upgrade` to make each a row, which it adopts. */
  private raw: unknown[] = [];
  /** A row of `sorted` died since the last settle. */
  private holes = false;
  /** Live rows. */
  size = 0;

  constructor(private readonly upgrade: (id: unknown) => void) {
    loadTrees();
  }

  /** A new row: its key is in no live row of the order. */
  add(row: R): void {
    this.pending.push(row);
    this.size++;
    this.bound();
  }

  /** A new raw entry, by its id: no row yet, none made until order is asked. */
  addRaw(id: unknown): void {
    this.raw.push(id);
    this.size++;
    this.bound();
  }

  /** The row a raw entry became (already counted by addRaw). */
  adopt(row: R): void {
    this.pending.push(row);
  }

  private bound(): void {
    // Rows added and deleted and never asked for order would pile up.
    if (this.pending.length + this.raw.length > 2 * this.size + 1024) this.settle();
  }

  /** A row that left the table (the caller marked it dead). */
  remove(row: R): void {
    this.size--;
    if (this.tree) this.tree.delete(row.key); // nothing if it still waits
    else this.holes = true;
  }

  /** Smallest key, or undefined. */
  first(): Key | undefined {
    this.settle();
    return this.tree ? this.tree.minKey() : this.sorted[0]?.key;
  }

  last(): Key | undefined {
    this.settle();
    return this.tree ? this.tree.maxKey() : this.sorted[this.sorted.length - 1]?.key;
  }

  /** Smallest key strictly greater than `key`, or undefined. */
  next(key: Key): Key | undefined {
    this.settle();
    return this.tree ? this.tree.nextHigherKey(key) : this.sorted[bound(this.sorted, key, true)]?.key;
  }

  /** Greatest key strictly smaller than `key`, or undefined. */
  prev(key: Key): Key | undefined {
    this.settle();
    return this.tree ? this.tree.nextLowerKey(key) : this.sorted[bound(this.sorted, key, false) - 1]?.key;
  }

  /** The rows in key order; with `after`, only those with greater keys
   *  (found in O(log n), so a scan can resume where it stopped). */
  *rows(after?: Key): Generator<R> {
    this.settle();
    if (this.tree) {
      const it = this.tree.entries(after);
      let e = it.next();
      // The tree starts at `after` itself when it holds it.
      if (after !== undefined && !e.done && compareKeys(e.value[0], after) === 0) e = it.next();
      // A tree built anew during the walk leaves this one as it was: skip
      // what died since.
      for (; !e.done; e = it.next()) if (!e.value[1].dead) yield e.value[1];
      return;
    }
    const a = this.sorted;
    for (let i = after === undefined ? 0 : bound(a, after, true); i < a.length; i++) if (!a[i].dead) yield a[i];
  }

  /** The rows in reverse key order. */
  *rowsReversed(): Generator<R> {
    this.settle();
    if (this.tree) {
      for (const e of this.tree.entriesReversed()) if (!e[1].dead) yield e[1];
      return;
    }
    const a = this.sorted;
    for (let i = a.length - 1; i >= 0; i--) if (!a[i].dead) yield a[i];
  }

  /** Puts the waiting rows in the order. */
  private settle(): void {
    if (this.raw.length > 0) {
      // Each still raw becomes a row, adopted into pending (one gone or a
      // row already is passed over).
      const ids = this.raw;
      this.raw = [];
      for (let i = 0; i < ids.length; i++) this.upgrade(ids[i]);
    }
    if (this.pending.length === 0 && !this.holes && (this.tree || !trees)) return;
    const fresh = liveSorted(this.pending);
    this.pending = [];
    if (this.tree && fresh.length * REBUILD < this.tree.size) {
      // (fresh may be empty: every waiting row died.)
      for (const r of fresh) this.tree.set(r.key, r);
      return;
    }
    const old = this.tree ? this.tree.valuesArray() : this.holes ? this.sorted.filter((r) => !r.dead) : this.sorted;
    const all = old.length === 0 ? fresh : merge(old, fresh);
    this.holes = false;
    if (trees) {
      this.tree = all.length > 0 ? trees.bulkLoad(keysOf(all), all, compareKeys) : trees.emptyTree<Key, R>(compareKeys);
      this.sorted = [];
    } else this.sorted = all;
  }
}

/** The live rows of `rows` (which it reuses), sorted by key. Ascending
 *  keys, the common fill, are seen in one pass, and number keys compare
 *  without compareKeys: no call per row on the way (on QuickJS a call costs
 *  about what a Map's set does). */
function liveSorted<R extends Ordered>(rows: R[]): R[] {
  let n = 0;
  let numbers = true;
  let ordered = true;
  let prev: Key | undefined;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.dead) continue;
    const k = r.key;
    if (typeof k !== 'number') numbers = false;
    if (ordered && n > 0 && (typeof k === 'number' && typeof prev === 'number' ? prev > k : compareKeys(prev as Key, k) > 0)) ordered = false;
    prev = k;
    rows[n++] = r;
  }
  rows.length = n;
  if (ordered) return rows;
  return rows.sort(numbers ? (a, b) => (a.key as number) - (b.key as number) : (a, b) => compareKeys(a.key, b.key));
}

function keysOf(rows: Ordered[]): Key[] {
  const keys = new Array<Key>(rows.length);
  for (let i = 0; i < rows.length; i++) keys[i] = rows[i].key;
  return keys;
}

/** Two sorted arrays of rows with no key in common, as one. */
function merge<R extends Ordered>(a: R[], b: R[]): R[] {
  const out = new Array<R>(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) out[n++] = compareKeys(a[i].key, b[j].key) < 0 ? a[i++] : b[j++];
  while (i < a.length) out[n++] = a[i++];
  while (j < b.length) out[n++] = b[j++];
  return out;
}

/** The index of the first row whose key is greater than `key` (`past`),
 *  or not smaller than it. */
function bound(a: Ordered[], key: Key, past: boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareKeys(a[mid].key, key);
    if (c < 0 || (past && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
