// What kernel/web/ takes from the libraries it builds on, which ship no types.
declare module '@ungap/structured-clone' {
  export function serialize(value: unknown): unknown;
  export function deserialize(records: unknown): unknown;
}

interface CoreJsURL {
  href: string;
  readonly origin: string;
  protocol: string;
  host: string;
  hostname: string;
  port: string;
  pathname: string;
  search: string;
  hash: string;
  username: string;
  password: string;
  readonly searchParams: CoreJsURLSearchParams;
  toString(): string;
  toJSON(): string;
}
interface CoreJsURLSearchParams {
  append(name: string, value: string): void;
  delete(name: string, value?: string): void;
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string, value?: string): boolean;
  set(name: string, value: string): void;
  sort(): void;
  readonly size: number;
  forEach(fn: (value: string, key: string) => void): void;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  entries(): IterableIterator<[string, string]>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
  toString(): string;
}

// builder/web-vendor.ts: core-js-pure's URL as an ES module, its code run at load().
declare module 'mote-vendor:url' {
  export function load(): {
    URL: {
      new (url: string | CoreJsURL, base?: string | CoreJsURL): CoreJsURL;
      canParse(url: string, base?: string): boolean;
      parse(url: string, base?: string): CoreJsURL | null;
    };
    URLSearchParams: {
      new (init?: string | Record<string, string> | Iterable<[string, string]> | CoreJsURLSearchParams): CoreJsURLSearchParams;
    };
  };
}
