/**
 * A class that loads its implementation on first use. The Web APIs that come
 * from CommonJS libraries (core-js-pure) are wrapped in one, marked pure: an
 * import of CommonJS runs at load and cannot be dropped, and esbuild adds
 * every injected file to each CommonJS module of a bundle, so without this
 * an app with any CommonJS dependency would carry, and run, them all.
 * The load is the kernel's work, not the process's: the runaway guard is off
 * while it runs (guard.ts).
 */
import { unguarded } from '../../guard.ts';

export function lazyClass<T extends abstract new (...args: never[]) => unknown>(load: () => T): T {
  let real: T | undefined;
  const get = (): T => (real ??= unguarded(load));
  const stand: T = new Proxy(function () {} as unknown as T, {
    construct: (_target, args, newTarget) => Reflect.construct(get() as unknown as new (...a: unknown[]) => object, args, newTarget === stand ? get() : newTarget),
    apply: (_target, self, args) => Reflect.apply(get() as unknown as (...a: unknown[]) => unknown, self, args),
    get: (_target, key) => Reflect.get(get(), key),
    has: (_target, key) => Reflect.has(get(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(get()),
  });
  return stand;
}
