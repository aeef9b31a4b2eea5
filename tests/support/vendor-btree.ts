// What `mote-vendor:btree` is when the kernel runs unbundled under vitest:
// sorted-btree loaded as Node loads CommonJS. In a bundle,
// builder/web-vendor.ts makes it.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function load(): { BTree: unknown; bulkLoad: unknown } {
  return { BTree: (require('sorted-btree/b+tree.js') as { default: unknown }).default, bulkLoad: (require('sorted-btree/extended/bulkLoad.js') as { bulkLoad: unknown }).bulkLoad };
}
