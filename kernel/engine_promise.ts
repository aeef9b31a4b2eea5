/**
 * The engine's own Promise (what an async function returns: a host may
 * replace the global one by a subclass that tracks rejections, which costs
 * more per promise), and two primitives for promises the kernel settles
 * itself. mote's QuickJS has them on its Promise constructor
 * (qemu/patches/2025-04-26/quickjs-msg-promise.patch): `pending()` makes a
 * pending promise with no resolving functions, and `fulfill(p, v)`
 * fulfills it with v as it is. `new Promise(executor)` costs QuickJS more
 * than the rest of a switch between processes: two resolving functions,
 * each with a name and a length, and the executor's call. They are taken
 * at load and deleted from the constructor, so that no program sees them.
 * On an engine without them (node) both are null, and the kernel makes its
 * promises with an executor.
 */
export const EnginePromise = (async () => {})().constructor as PromiseConstructor;

interface Primitives {
  motePending?: () => Promise<unknown>;
  moteFulfill?: (p: Promise<unknown>, v: unknown) => void;
  moteWatch?: <T extends object>(p: Promise<unknown>, f: (tag: T, v: unknown, rejected: boolean) => void, tag: T) => void;
  moteRun?: <T extends object>(fn: () => unknown, f: (tag: T, v: unknown, rejected: boolean) => void, tag: T) => boolean;
}
const ctor = EnginePromise as unknown as Primitives;
const given = typeof ctor.motePending === 'function' && typeof ctor.moteFulfill === 'function';

/** A pending promise that only `fulfill` settles; null on other engines. */
export const pending: (() => Promise<unknown>) | null = given ? ctor.motePending! : null;
/** Fulfills a promise `pending` made with v (never followed as a thenable). */
export const fulfill: ((p: Promise<unknown>, v: unknown) => void) | null = given ? ctor.moteFulfill! : null;
/** Runs f(tag, value, rejected) as a job once p settles, as a `then`
 *  without its derived promise and closures
 *  (qemu/patches/2025-04-26/quickjs-proc-watch.patch); p counts as
 *  handled. null on other engines. */
export const watch = typeof ctor.moteWatch === 'function' ? ctor.moteWatch : null;
/** Starts fn, if it is the engine's async function, with no promise for
 *  it: f(tag, value, rejected) runs as a job once it ends, as watch(fn(), f,
 *  tag) would (qemu/patches/2025-04-26/quickjs-suspend-body.patch). False,
 *  with nothing called, for any other fn; f must be the same at every call.
 *  null on other engines. */
export const runWatched = typeof ctor.moteRun === 'function' ? ctor.moteRun : null;
delete ctor.motePending;
delete ctor.moteFulfill;
delete ctor.moteWatch;
delete ctor.moteRun;
