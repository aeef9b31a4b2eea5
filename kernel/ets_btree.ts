/**
 * The B+ tree an ordered_set keeps its key order in (sorted-btree), as a
 * module of its own: ets_order.ts imports it at the first ordered_set, so
 * an app without one never loads its code (44 KB, about 60 KiB of heap).
 */
/// <reference path="./ets_vendor.d.ts" />
import { load } from 'mote-vendor:btree';

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
  keysArray(): K[];
}
type BTreeClass = new <K, V>(entries: undefined, compare: (a: K, b: K) => number) => BTree<K, V>;
type BulkLoad = <K, V>(keys: K[], values: V[], maxNodeSize: number, compare: (a: K, b: K) => number) => BTree<K, V>;

// The library is CommonJS: bundled apart (builder/web-vendor.ts), it runs
// here, once, and the rest of the bundle stays plain ES modules.
const lib = load() as { BTree: BTreeClass; bulkLoad: BulkLoad };

/** Leaves and inner nodes hold up to this many: sorted-btree's default. */
const NODE_SIZE = 32;

export function emptyTree<K, V>(cmp: (a: K, b: K) => number): BTree<K, V> {
  return new lib.BTree<K, V>(undefined, cmp);
}

/** A tree of `keys` (strictly ascending) to `values`, built in O(n). */
export function bulkLoad<K, V>(keys: K[], values: V[], cmp: (a: K, b: K) => number): BTree<K, V> {
  return lib.bulkLoad(keys, values, NODE_SIZE, cmp);
}
