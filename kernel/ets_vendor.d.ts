// builder/web-vendor.ts: sorted-btree as an ES module, its code run at load().
declare module 'mote-vendor:btree' {
  export function load(): { BTree: unknown; bulkLoad: unknown };
}
