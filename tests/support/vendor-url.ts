// What `mote-vendor:url` is when the kernel runs unbundled under vitest (its
// modules imported straight into Node): the same library, loaded as Node
// loads CommonJS. In a bundle, builder/web-vendor.ts makes it.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function load(): { URL: unknown; URLSearchParams: unknown } {
  return { URL: require('core-js-pure/web/url.js'), URLSearchParams: require('core-js-pure/web/url-search-params.js') };
}
