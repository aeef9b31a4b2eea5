/**
 * The key order of an ordered_set table: its keys only. The table finds a
 * row by its key through its hash (ets_table.ts), which the order asks
 * whether a key is still in the table (`has`); the order is asked only by
 * first, last, next, prev and scans, so it is kept lazily: a new key waits
 * in `pending`, unsorted, and the next question of order sorts what waits
 * and puts it in (settle). Filling a table costs a push per key, and a fill
 * then a walk costs one sort and a B+ tree built in O(n), not a tree insert
 * per key; no object per entry (an entry may be a raw value in the hash).
 * Settling in steps of 4,096 keys instead was 4-5x slower hosted: putting
 * that many in the tree one by one took 0.25-0.4 s, where one sort of 100k
 * number keys takes 0.09 s.
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
import { unguarded } from './guard.ts';
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

/** A settle of this many waiting keys or more is the kernel's time, not
 *  the caller's: the runaway guard is off while it runs (guard.ts). It does
 *  the work that the inserts put off, all at once: a fill of 100k keys then
 *  a `first` sorted them in that call, 0.4-0.7 s hosted on a calm machine,
 *  and the guard killed a caller that filled a million. */
const UNGUARDED_AT = 4096;

/** A settle of this many new keys or more, against a tree a quarter their
 *  number or less, builds the tree anew from both (O(n)) rather than
 *  putting each in (O(k log n)). */
const REBUILD = 4;

export class KeyOrder {
  private tree: BTree<Key, undefined> | null = null;
  /** The order while the tree's module is not in: sorted, never changed in
   *  place (a walk in progress keeps the array it started on). */
  private sorted: Key[] = [];
  /** Keys added since the last settle, in no order; some may be gone since,
   *  or come twice (deleted and added again). */
  private pending: Key[] = [];
  /** A key of `sorted` left since the last settle. */
  private holes = false;
  /** A key left since the last settle: some waiting may be gone or twice. */
  private removed = false;
  /** Keys in the table. */
  size = 0;
  /** Keys in the table's hash and in neither `pending` nor the order: a
   *  flat table's fill (ets.ts's insert) counts its new keys here instead
   *  of add()ing them, while every key is one (unlisted === size): no call
   *  and no push per key. A flat table's hash holds its keys themselves
   *  (ets_table.ts, Table.flat); settle takes them from there. */
  unlisted = 0;

  /** `has`: is the key in the table now? `hashKeys`: the keys of the
   *  table's hash. */
  constructor(
    private readonly has: (key: Key) => boolean,
    private readonly hashKeys: () => Iterable<unknown>,
  ) {
    loadTrees();
  }

  /** The unlisted keys made waiting ones: at a settle, and before the
   *  table's hash holds anything but keys (Table.unflat). Unlisted keys
   *  came first (at size 0) and none has left since (a delete ends a flat
   *  table): every key of the table waits, and the hash has them all, the
   *  add()ed ones too. */
  list(): void {
    if (this.unlisted === 0) return;
    this.pending = Array.from(this.hashKeys()) as Key[];
    this.unlisted = 0;
  }

  /** A new key: not in the table before. */
  add(key: Key): void {
    this.pending.push(key);
    this.size++;
    // Keys added and deleted and never asked for order would pile up.
    if (this.pending.length > 2 * this.size + 1024) this.settle();
  }

  /** A key that left the table. */
  remove(key: Key): void {
    this.size--;
    this.removed = true;
    if (this.tree) this.tree.delete(key); // nothing if it still waits
    else this.holes = true;
  }

  /** Smallest key, or undefined. */
  first(): Key | undefined {
    this.settle();
    return this.tree ? this.tree.minKey() : this.sorted[0];
  }

  last(): Key | undefined {
    this.settle();
    return this.tree ? this.tree.maxKey() : this.sorted[this.sorted.length - 1];
  }

  /** Smallest key strictly greater than `key`, or undefined. */
  next(key: Key): Key | undefined {
    this.settle();
    return this.tree ? this.tree.nextHigherKey(key) : this.sorted[bound(this.sorted, key, true)];
  }

  /** Greatest key strictly smaller than `key`, or undefined. */
  prev(key: Key): Key | undefined {
    this.settle();
    return this.tree ? this.tree.nextLowerKey(key) : this.sorted[bound(this.sorted, key, false) - 1];
  }

  /** The keys in order; with `after`, only greater ones (found in
   *  O(log n), so a scan can resume where it stopped). A key that left the
   *  table during the walk is passed over. */
  *keys(after?: Key): Generator<Key> {
    this.settle();
    if (this.tree) {
      const it = this.tree.entries(after);
      let e = it.next();
      // The tree starts at `after` itself when it holds it.
      if (after !== undefined && !e.done && compareKeys(e.value[0], after) === 0) e = it.next();
      // A tree built anew during the walk leaves this one as it was: skip
      // what left since.
      for (; !e.done; e = it.next()) if (this.has(e.value[0])) yield e.value[0];
      return;
    }
    const a = this.sorted;
    for (let i = after === undefined ? 0 : bound(a, after, true); i < a.length; i++) if (this.has(a[i])) yield a[i];
  }

  /** The keys in reverse order. */
  *keysReversed(): Generator<Key> {
    this.settle();
    if (this.tree) {
      for (const e of this.tree.entriesReversed()) if (this.has(e[0])) yield e[0];
      return;
    }
    const a = this.sorted;
    for (let i = a.length - 1; i >= 0; i--) if (this.has(a[i])) yield a[i];
  }

  /** Puts the waiting keys in the order. */
  private settle(): void {
    if (this.pending.length === 0 && this.unlisted === 0 && !this.holes && (this.tree || !trees)) return;
    if (this.pending.length + this.unlisted >= UNGUARDED_AT) unguarded(() => this.putWaiting());
    else this.putWaiting();
  }

  private putWaiting(): void {
    this.list();
    // With nothing removed, every waiting key is in the table, once.
    const fresh = liveSorted(this.pending, this.removed ? this.has : null);
    this.pending = [];
    this.removed = false;
    if (this.tree && fresh.length * REBUILD < this.tree.size) {
      // (fresh may be empty: every waiting key left.)
      for (const k of fresh) this.tree.set(k, undefined);
      return;
    }
    const old = this.tree ? this.tree.keysArray() : this.holes ? this.sorted.filter(this.has) : this.sorted;
    const all = old.length === 0 ? fresh : merge(old, fresh);
    this.holes = false;
    if (trees) {
      this.tree = all.length > 0 ? trees.bulkLoad(all, new Array<undefined>(all.length), compareKeys) : trees.emptyTree<Key, undefined>(compareKeys);
      this.sorted = [];
    } else this.sorted = all;
  }
}

/** The keys of `keys` (which it reuses) still in the table and not in the
 *  order (a waiting key is in neither), sorted, each once. Ascending keys,
 *  the common fill, are seen in one pass, and number keys compare without
 *  compareKeys: no call per key on the way (on QuickJS a call costs about
 *  what a Map's set does). */
function liveSorted(keys: Key[], has: ((key: Key) => boolean) | null): Key[] {
  let n = 0;
  let numbers = true;
  let ordered = true;
  let prev: Key | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (has !== null && !has(k)) continue;
    if (typeof k !== 'number') numbers = false;
    // (Equal to the one before: added twice, deleted between; dropped below.)
    if (ordered && n > 0 && (typeof k === 'number' && typeof prev === 'number' ? prev >= k : compareKeys(prev as Key, k) >= 0)) ordered = false;
    prev = k;
    keys[n++] = k;
  }
  keys.length = n;
  if (ordered) return keys;
  if (numbers) sortNumbers(keys);
  else keys.sort(compareKeys);
  // A key deleted and added again while it waited is here twice.
  let m = 0;
  for (let i = 0; i < n; i++) if (m === 0 || compareKeys(keys[m - 1], keys[i]) !== 0) keys[m++] = keys[i];
  keys.length = m;
  return keys;
}

/** Sorts number keys in place, in C: a typed array's sort calls no
 *  comparator (a JS one, per comparison, made a settle of 100k keys take
 *  0.6 s hosted). */
function sortNumbers(keys: Key[]): void {
  const sorted = Float64Array.from(keys as number[]).sort();
  for (let i = 0; i < sorted.length; i++) keys[i] = sorted[i];
}

/** Two sorted arrays of keys as one, a key in both once (the sorted
 *  array keeps a deleted key until its settle: added again meanwhile, it
 *  waits in `pending` too). */
function merge(a: Key[], b: Key[]): Key[] {
  const out = new Array<Key>(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const c = compareKeys(a[i], b[j]);
    out[n++] = c <= 0 ? a[i++] : b[j++];
    if (c === 0) j++;
  }
  while (i < a.length) out[n++] = a[i++];
  while (j < b.length) out[n++] = b[j++];
  out.length = n;
  return out;
}

/** The index of the first key greater than `key` (`past`), or not smaller
 *  than it. */
function bound(a: Key[], key: Key, past: boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareKeys(a[mid], key);
    if (c < 0 || (past && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
