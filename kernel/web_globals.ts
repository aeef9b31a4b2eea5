/**
 * Every Web API of kernel/web/ as a property of globalThis, for code the
 * bundler never sees, such as what `eval` runs (images/shell). A bundled app
 * needs none of this: the builder injects each API where the app names it
 * (builder/web-globals.ts). Calling this carries them all (URL alone is
 * about 335 KiB of heap on metal, bench/web-apis.ts); a global the host
 * already has is kept.
 */
import { AbortController, AbortSignal } from './web/abort.ts';
import { atob, btoa } from './web/base64.ts';
import { structuredClone } from './web/clone.ts';
import { crypto } from './web/crypto.ts';
import { DOMException } from './web/dom_exception.ts';
import { TextDecoder, TextEncoder } from './web/encoding.ts';
import { CustomEvent, Event, EventTarget } from './web/events.ts';
import { performance } from './web/performance.ts';
import { URL, URLSearchParams } from './web/url.ts';

export function installWebGlobals(): void {
  const apis: Record<string, unknown> = {
    AbortController, AbortSignal, atob, btoa, structuredClone, crypto, DOMException, TextDecoder, TextEncoder,
    CustomEvent, Event, EventTarget, performance, URL, URLSearchParams,
  };
  const g = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(apis)) {
    if (g[name] === undefined) Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
  }
}
