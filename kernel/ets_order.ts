/**
 * The key order of an ordered_set table: a B+ tree (sorted-btree) from key
 * to row. The table finds a row by its key through its hash (ets_table.ts);
 * the tree is walked only for order: first, last, next, prev and scans.
 * Chosen over a treap, a red-black tree (js-sdsl, bintrees) and a persistent
 * one (functional-red-black-tree) by bench on QuickJS: a quarter of their
 * bytes per entry (56 against 208 to 320 on x86-64), the fastest deletes,
 * walks and inserts in random order (bench/kernel/scale.ts, kernel/README.md).
 */
import * as sortedBtree from 'sorted-btree';

/** What KeyOrder uses of sorted-btree's BTree. */
interface BTree<K, V> {
  readonly size: number;
  get(key: K): V | undefined;
  set(key: K, value: V): boolean;
  delete(key: K): boolean;
  minKey(): K | undefined;
  maxKey(): K | undefined;
  nextHigherKey(key: K): K | undefined;
  nextLowerKey(key: K): K | undefined;
  entries(lowestKey?: K): IterableIterator<[K, V]>;
  entriesReversed(): IterableIterator<[K, V]>;
}
type BTreeClass = new <K, V>(entries: undefined, compare: (a: K, b: K) => number) => BTree<K, V>;

// A CommonJS module whose class is `exports.default`: an importer that
// honours __esModule finds the class as the namespace's default, one in a
// "type": "module" package (esbuild, Node, vitest) finds the exports object
// there, and the class one level down. (TypeScript too types the two apart.)
const exported = (sortedBtree as unknown as { default: BTreeClass | { default: BTreeClass } }).default;
const BTree: BTreeClass = typeof exported === 'function' ? exported : exported.default;

export class KeyOrder<K, V> {
  private readonly tree: BTree<K, V>;
  constructor(private readonly cmp: (a: K, b: K) => number) {
    this.tree = new BTree<K, V>(undefined, cmp);
  }

  get size(): number {
    return this.tree.size;
  }

  get(key: K): V | undefined {
    return this.tree.get(key);
  }

  set(key: K, value: V): void {
    this.tree.set(key, value);
  }

  delete(key: K): boolean {
    return this.tree.delete(key);
  }

  /** Smallest key, or undefined. */
  first(): K | undefined {
    return this.tree.minKey();
  }

  last(): K | undefined {
    return this.tree.maxKey();
  }

  /** Smallest key strictly greater than `key`, or undefined. */
  next(key: K): K | undefined {
    return this.tree.nextHigherKey(key);
  }

  /** Greatest key strictly smaller than `key`, or undefined. */
  prev(key: K): K | undefined {
    return this.tree.nextLowerKey(key);
  }

  /** In key order; with `after`, only the keys greater than it (found in
   *  O(log n), so a scan can resume where it stopped). */
  *entries(after?: K): Generator<[K, V]> {
    const it = this.tree.entries(after);
    let e = it.next();
    // The tree starts at `after` itself when it holds it.
    if (after !== undefined && !e.done && this.cmp(e.value[0], after) === 0) e = it.next();
    for (; !e.done; e = it.next()) yield e.value;
  }

  /** In reverse key order. */
  *entriesReversed(): Generator<[K, V]> {
    yield* this.tree.entriesReversed();
  }
}
