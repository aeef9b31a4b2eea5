// Unhandled promise rejections, hosted. quickjs-emscripten does not expose
// QuickJS's rejection tracker (JS_SetHostPromiseRejectionTracker), which the
// boot layer uses, so the hosted runner tracks rejections in JS: the script
// below replaces the global `Promise` with a subclass that records a promise
// rejected with no handler and forgets it once a handler is attached. The
// event loop asks `take()` after the job queue drains, as the boot layer
// checks its list.
//
// What it sees: promises made with `new Promise`, `Promise.reject`,
// `Promise.all` and friends, and every promise `then`/`catch`/`finally`
// derive from them. What it misses (the program runs on, status 0, where the
// boot layer would stop with 100): the promise of an async function that
// throws when nobody awaits it, a promise resolved with a rejected one, and a
// `then` chained on a promise the engine made (an async function's, the
// kernel's receive) whose handler throws. Replacing the engine's own `then`
// would catch that last one, but QuickJS calls `then` from inside dynamic
// import: with the heap full, the wrapper's allocations failed there and the
// import's outcome was lost without a word.
// It never reports a rejection that the boot layer would not.
//
// Microtask timing is kept: `await` on a tracked promise takes QuickJS's fast
// path (the prototype's `constructor` reads as the native Promise, and reading
// it counts as attaching a handler), so the same program interleaves its jobs
// the same way on both hosts.
export const REJECTION_TRACKER = String.raw`(() => {
  const Native = Promise;
  const nativeThen = Native.prototype.then;
  const pending = new Map();
  const handled = new WeakSet();
  const tracked = new WeakSet();
  const markHandled = (p) => { handled.add(p); pending.delete(p); };

  const Tracked = class Promise extends Native {
    constructor(executor) {
      if (typeof executor !== 'function') { super(executor); return; }
      let resolveNative, rejectNative, done = false;
      super((res, rej) => { resolveNative = res; rejectNative = rej; });
      tracked.add(this);
      const self = this;
      const resolve = (value) => { if (done) return; done = true; resolveNative(value); };
      const reject = (reason) => {
        if (done) return;
        done = true;
        if (!handled.has(self)) pending.set(self, reason);
        rejectNative(reason);
      };
      try { executor(resolve, reject); } catch (e) { reject(e); }
    }
    then(onFulfilled, onRejected) {
      if (!tracked.has(this)) return nativeThen.call(this, onFulfilled, onRejected);
      markHandled(this);
      return new Promise((resolve, reject) => {
        nativeThen.call(this,
          (v) => { if (typeof onFulfilled !== 'function') return resolve(v); try { resolve(onFulfilled(v)); } catch (e) { reject(e); } },
          (r) => { if (typeof onRejected !== 'function') return reject(r); try { resolve(onRejected(r)); } catch (e) { reject(e); } });
      });
    }
    static resolve(value) {
      // Promise.resolve(p) returns p itself for a promise of ours, as it does natively.
      if (this === Promise && value instanceof Native && (tracked.has(value) || Object.getPrototypeOf(value) === Native.prototype)) return value;
      return super.resolve(value);
    }
    static [Symbol.hasInstance](value) { return value instanceof Native; }
  };
  Object.defineProperty(Tracked.prototype, 'constructor', {
    configurable: true,
    get() { if (tracked.has(this)) markHandled(this); return Native; },
  });
  Object.defineProperty(globalThis, 'Promise', { value: Tracked, writable: true, configurable: true, enumerable: false });
  return {
    take() {
      for (const [, reason] of pending) { pending.clear(); return [reason]; }
      return undefined;
    },
  };
})()`;
