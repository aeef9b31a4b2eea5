/// <reference path="./modules.d.ts" />
/**
 * URL and URLSearchParams (WHATWG URL), from core-js-pure: the pure build
 * installs nothing globally, and its parser is about 49 KB minified, where
 * whatwg-url with its Unicode tables is about 490 KB (kernel/README.md).
 * core-js-pure is CommonJS: builder/web-vendor.ts makes it an ES module
 * whose code runs at load(), which each class calls at first use
 * (support/lazy_class.ts).
 * Injected as globals only where an app names them.
 */
import { load } from 'mote-vendor:url';
import { lazyClass } from './support/lazy_class.ts';

export const URL = /* @__PURE__ */ lazyClass(() => load().URL);
export const URLSearchParams = /* @__PURE__ */ lazyClass(() => load().URLSearchParams);
