/**
 * The B+ tree an ordered_set keeps its key order in (sorted-btree), as a
 * module of its own: ets_order.ts imports it at the first ordered_set, so
 * an app without one never loads its code (44 KB, about 60 KiB of heap).
 */
import * as sortedBtree from 'sorted-btree';
import { bulkLoad as bulk } from 'sorted-btree/extended/bulkLoad.js';

/** What ets_order.ts uses of sorted-btree's BTree. */
export interface BTree<K, V> {
  readonly size: number;
  set(key: K, value: V): boolean;
  delete(key: K): boolean;
  minKey(): K | undefined;
  maxKey(): K | undefined;
  nextHigherKey(key: K): K | undefined;
  nextLowerKey(key: K): K | undefined;
  entries(lowestKey?: K): IterableIterator<[K, V]>;
  entriesReversed(): IterableIterator<[K, V]>;
  valuesArray(): V[];
}
type BTreeClass = new <K, V>(entries: undefined, compare: (a: K, b: K) => number) => BTree<K, V>;

// A CommonJS module whose class is `exports.default`: an importer that
// honours __esModule finds the class as the namespace's default, one in a
// "type": "module" package (esbuild, Node, vitest) finds the exports object
// there, and the class one level down. (TypeScript too types the two apart.)
const exported = (sortedBtree as unknown as { default: BTreeClass | { default: BTreeClass } }).default;
const BTreeCtor: BTreeClass = typeof exported === 'function' ? exported : exported.default;

/** Leaves and inner nodes hold up to this many: sorted-btree's default. */
const NODE_SIZE = 32;

export function emptyTree<K, V>(cmp: (a: K, b: K) => number): BTree<K, V> {
  return new BTreeCtor<K, V>(undefined, cmp);
}

/** A tree of `keys` (strictly ascending) to `values`, built in O(n). */
export function bulkLoad<K, V>(keys: K[], values: V[], cmp: (a: K, b: K) => number): BTree<K, V> {
  return bulk(keys, values, NODE_SIZE, cmp) as unknown as BTree<K, V>;
}
