/**
 * The engine's count of a function's arguments. mote's QuickJS has
 * `moteArgc()` on its Promise constructor
 * (qemu/patches/2025-04-26/quickjs-table-argc.patch): called in a plain
 * function, it is the number of arguments that function was called with,
 * as `arguments.length`, where QuickJS would make the arguments object at
 * every call of a function that mentions it (about 3,000 instructions), or
 * a rest parameter's array (about 900). Taken at load and deleted from the
 * constructor, as engine_promise.ts's primitives. null on other engines
 * (node), where a rest parameter is cheap.
 */
const ctor = (async () => {})().constructor as unknown as { moteArgc?: () => number };

/** The argument count of the plain (not async, not generator) function
 *  that calls it directly; null on other engines. */
export const argc: (() => number) | null = typeof ctor.moteArgc === 'function' ? ctor.moteArgc : null;
delete ctor.moteArgc;
