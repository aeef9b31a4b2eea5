// QuickJS makes the typed arrays and WeakRef at their first use, not with the
// context (qemu/patches/2025-04-26/quickjs-boot-lazy-intrinsics.patch; issue
// 11, boot time). The output here is what the engine printed when it made
// them at boot: the same globals in the same order and flags, the engine's
// own TypedArray.prototype.toString, a global deleted or replaced before the
// first use left so, accessors named "get x" and "set x" (made without
// snprintf: quickjs-boot-accessor-names.patch); and a first use with the heap full fails as it did,
// with every constructor there, whole, once the heap is free.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boot, buildImage } from '../support/guest.ts';

describe('built-ins made at their first use, metal', () => {
  it('are what they were when made at boot', async () => {
    const r = await boot(await buildImage(join(__dirname, 'fixtures/lazy-intrinsics.ts'), 'lazy-intrinsics'));
    expect(r.output).toBe('globals: Object,Function,Error,EvalError,RangeError,ReferenceError,SyntaxError,TypeError,URIError,InternalError,AggregateError,Array,parseInt,parseFloat,isNaN,isFinite,decodeURI,decodeURIComponent,encodeURI,encodeURIComponent,escape,unescape,Infinity,NaN,undefined,Number,Boolean,String,Math,Reflect,Symbol,eval,globalThis,BigInt,Date,RegExp,JSON,Proxy,Map,Set,WeakMap,WeakSet,ArrayBuffer,SharedArrayBuffer,Uint8ClampedArray,Int8Array,Uint8Array,Int16Array,Uint16Array,Int32Array,Uint32Array,BigInt64Array,BigUint64Array,Float32Array,Float64Array,DataView,Atomics,Promise,WeakRef,FinalizationRegistry,__mote,console,setTimeout,clearTimeout,setInterval,clearInterval,queueMicrotask\nArrayBuffer:function/true/false/true SharedArrayBuffer:function/true/false/true Uint8Array:function/true/false/true Int8Array:none Float32Array:string/true/false/true BigUint64Array:function/true/false/true DataView:function/true/false/true Atomics:object/true/false/true WeakRef:function/true/false/true FinalizationRegistry:function/true/false/true\nTypedArray.prototype.toString is the engine\'s: true\nInt8Array in globalThis: false, Float32Array: mine\nUint8Array 1,2,44 1 true true\nDataView 6 Float64Array 1 true\nWeakRef true FinalizationRegistry function\naccessors: get size, set __proto__, get flags, get [Symbol.species], get [Symbol.toStringTag]\nsame order after: true\n');
    expect(r.status, r.output).toBe(0);
  });

  it('first used with the heap full: the use fails, and they are all there once it is free', async () => {
    const r = await boot(await buildImage(join(__dirname, 'fixtures/lazy-intrinsics-oom.ts'), 'lazy-intrinsics-oom'));
    expect(r.output).toMatch(/^first use with the heap full: (null|InternalError: out of memory)\n/);
    const ctors = ['ArrayBuffer', 'SharedArrayBuffer', 'Uint8ClampedArray', 'Int8Array', 'Uint8Array', 'Int16Array', 'Uint16Array',
      'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'Float32Array', 'Float64Array', 'DataView'];
    expect(r.output).toContain(`after: ${ctors.map((n) => `${n} function`).join(', ')}\nnew Uint8Array(3).length 3, Uint16Array.BYTES_PER_ELEMENT 2\n`);
    expect(r.status, r.output).toBe(0);
  });
});
