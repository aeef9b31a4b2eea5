/// <reference path="./modules.d.ts" />
/**
 * URL and URLSearchParams (WHATWG URL), from core-js-pure: the pure build
 * installs nothing globally, and its parser is about 49 KB minified, where
 * whatwg-url with its Unicode tables is about 490 KB (docs/ARCHITECTURE.md).
 * core-js-pure is CommonJS, so each class loads it on first use (support/lazy_class.ts).
 * Injected as globals only where an app names them.
 */
import { lazyClass } from './support/lazy_class.ts';

export const URL = /* @__PURE__ */ lazyClass(() => require('core-js-pure/web/url.js'));
export const URLSearchParams = /* @__PURE__ */ lazyClass(() => require('core-js-pure/web/url-search-params.js'));
