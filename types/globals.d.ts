// The globals every mote guest has, as apps see them: what kernel/prelude.ts
// installs on a host that lacks them (bare QuickJS has none of these).
// An app gets them by importing "mote" (types/mote.d.ts references this
// file), and `mote build` checks against this same file. A global added to
// the prelude is declared here too; tests/cli/types.test.ts checks that every
// name here exists in a running guest.

interface MoteConsole {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  trace(...args: unknown[]): void;
}
declare var console: MoteConsole;

/** A timer's handle is a number; a delay under 1 ms or over 2^31-1 means 1 ms, as in Node. */
declare function setTimeout(fn: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function clearTimeout(id: unknown): void;
declare function setInterval(fn: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function clearInterval(id: unknown): void;
declare function queueMicrotask(fn: () => void): void;

// ---- The Web APIs servers share (WinterTC's minimum common API), from
// kernel/web/. Each is in a bundle only when the app names it.

type BufferSource = ArrayBuffer | ArrayBufferView;

declare class TextEncoder {
  readonly encoding: 'utf-8';
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
/** UTF-8 only: any other label throws RangeError. */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: 'utf-8';
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  decode(input?: BufferSource, options?: { stream?: boolean }): string;
}

declare function atob(data: string): string;
declare function btoa(data: string): string;

/** The HTML structured clone; `transfer` is refused (DataCloneError): everything is copied. */
declare function structuredClone<T>(value: T, options?: { transfer?: unknown[] }): T;

declare class DOMException extends Error {
  constructor(message?: string, name?: string);
  readonly code: number;
}

declare class URLSearchParams {
  constructor(init?: string | Record<string, string> | Iterable<[string, string]> | URLSearchParams);
  readonly size: number;
  append(name: string, value: string): void;
  delete(name: string, value?: string): void;
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string, value?: string): boolean;
  set(name: string, value: string): void;
  sort(): void;
  forEach(fn: (value: string, key: string, parent: URLSearchParams) => void): void;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  entries(): IterableIterator<[string, string]>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
  toString(): string;
}
declare class URL {
  constructor(url: string | URL, base?: string | URL);
  static canParse(url: string | URL, base?: string | URL): boolean;
  static parse(url: string | URL, base?: string | URL): URL | null;
  href: string;
  readonly origin: string;
  protocol: string;
  username: string;
  password: string;
  host: string;
  hostname: string;
  port: string;
  pathname: string;
  search: string;
  readonly searchParams: URLSearchParams;
  hash: string;
  toString(): string;
  toJSON(): string;
}

interface EventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
}
declare class Event {
  constructor(type: string, init?: EventInit);
  static readonly NONE: 0;
  static readonly CAPTURING_PHASE: 1;
  static readonly AT_TARGET: 2;
  static readonly BUBBLING_PHASE: 3;
  readonly type: string;
  readonly bubbles: boolean;
  readonly cancelable: boolean;
  readonly composed: boolean;
  readonly defaultPrevented: boolean;
  readonly target: EventTarget | null;
  readonly currentTarget: EventTarget | null;
  readonly eventPhase: number;
  readonly timeStamp: number;
  readonly isTrusted: boolean;
  composedPath(): EventTarget[];
  preventDefault(): void;
  stopPropagation(): void;
  stopImmediatePropagation(): void;
}
declare class CustomEvent<T = unknown> extends Event {
  constructor(type: string, init?: EventInit & { detail?: T });
  readonly detail: T | null;
}
type EventListenerOrObject = ((event: Event) => void) | { handleEvent(event: Event): void };
/** No tree: listeners run at the target; one that throws is reported on the console and the others run. */
declare class EventTarget {
  addEventListener(type: string, listener: EventListenerOrObject | null, options?: boolean | { capture?: boolean; once?: boolean; passive?: boolean; signal?: AbortSignal }): void;
  removeEventListener(type: string, listener: EventListenerOrObject | null, options?: boolean | { capture?: boolean }): void;
  dispatchEvent(event: Event): boolean;
}
declare class AbortSignal extends EventTarget {
  private constructor();
  static abort(reason?: unknown): AbortSignal;
  static timeout(ms: number): AbortSignal;
  static any(signals: Iterable<AbortSignal>): AbortSignal;
  readonly aborted: boolean;
  readonly reason: unknown;
  onabort: ((event: Event) => void) | null;
  throwIfAborted(): void;
}
declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}

/** now(): milliseconds since the host started (the boot on metal); timeOrigin: the wall time then. */
declare var performance: { now(): number; readonly timeOrigin: number; toJSON(): { timeOrigin: number } };

type IntegerTypedArray = Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;
/** Random bytes fit for keys (RDSEED/RDRAND or virtio-rng on metal, Node's crypto hosted); throws on a machine with no such source. No `subtle`. */
declare var crypto: {
  /** Fills `array` in place (at most 65,536 bytes) and returns it. */
  getRandomValues<T extends IntegerTypedArray>(array: T): T;
  /** A version 4 UUID. */
  randomUUID(): `${string}-${string}-${string}-${string}-${string}`;
};
