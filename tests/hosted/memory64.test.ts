// The driver tells a wasm64 engine (make -C qemu WASM=64) from a wasm32 one
// by its imported memory's type, before compiling it (Node 20 compiles
// memory64 only with V8's flag on): builder/hosted/wasm/memory64.ts.
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { enableMemory64, importsMemory64, memory64Compiles } from '../../builder/hosted/wasm/memory64.ts';
import { engineMemory, growMemory } from '../../builder/hosted/wasm/module.ts';

const name = (s: string) => [s.length, ...new TextEncoder().encode(s)];
const section = (id: number, body: number[]) => [id, body.length, ...body];

/** A module importing mote.write (a function of type () -> ()) and then
 *  env.memory with these limits flags (0x04: memory64), min 1 page. */
function moduleWithMemory(flags: number, extra: number[] = []): Uint8Array<ArrayBuffer> {
  const types = section(1, [1, 0x60, 0, 0]);
  const imports = section(2, [2, ...name('mote'), ...name('write'), 0, 0, ...name('env'), ...name('memory'), 2, flags, 1]);
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...extra, ...types, ...imports]);
}

describe('the wasm engine memory type', () => {
  it('is wasm32 for a memory with 32-bit addresses', () => {
    const bytes = moduleWithMemory(0x00);
    expect(WebAssembly.validate(bytes)).toBe(true); // the bytes are a real module
    expect(importsMemory64(bytes)).toBe(false);
  });

  it('is wasm64 for a memory64 one, past the sections before the imports', () => {
    const custom = section(0, [...name('note'), 1, 2, 3]);
    expect(importsMemory64(moduleWithMemory(0x04))).toBe(true);
    expect(importsMemory64(moduleWithMemory(0x04, custom))).toBe(true);
  });

  it('is wasm32 for a module that imports no memory', () => {
    const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...section(1, [1, 0x60, 0, 0])]);
    expect(importsMemory64(bytes)).toBe(false);
  });
});

describe('turning memory64 on', () => {
  it('sets no V8 flag where memory64 compiles already (a V8 that dropped the flag would print an error)', () => {
    const set: string[] = [];
    expect(enableMemory64((f) => set.push(f), () => true)).toBe(null);
    expect(set).toEqual([]);
  });

  it('sets the flag where memory64 is behind it', () => {
    const set: string[] = [];
    let on = false;
    expect(enableMemory64((f) => { set.push(f); on = true; }, () => on)).toBe(null);
    expect(set).toEqual(['--experimental-wasm-memory64']);
  });

  it('says in one line what to do where the flag does not help', () => {
    const why = enableMemory64(() => {}, () => false);
    expect(why).toMatch(/^this Node \(v[\d.]+\) cannot compile the wasm64 engine .*WASM=32/);
    expect(why).not.toContain('\n');
  });

  it('compiles on this Node once turned on, as the driver does', () => {
    expect(enableMemory64((f) => setFlagsFromString(f))).toBe(null);
    expect(memory64Compiles()).toBe(true);
  });
});

describe("the engine's memory64 memory", () => {
  it('takes page counts as numbers (Node 20) or as BigInts (the standard JS API, which refuses numbers)', () => {
    const real = WebAssembly.Memory;
    const made: unknown[] = [];
    const grown: unknown[] = [];
    /** The standard API's i64 memory: BigInt page counts only. */
    class StandardMemory {
      constructor(d: { initial: unknown; maximum: unknown; index?: string }) {
        if (d.index === 'i64' && (typeof d.initial !== 'bigint' || typeof d.maximum !== 'bigint')) throw new TypeError('Cannot convert 32 to a BigInt');
        made.push(d.initial, d.maximum);
      }
      grow(n: unknown): bigint {
        if (typeof n !== 'bigint') throw new TypeError('Cannot convert 1 to a BigInt');
        grown.push(n);
        return 1n;
      }
    }
    try {
      (WebAssembly as { Memory: unknown }).Memory = StandardMemory;
      growMemory(engineMemory(32, 64), 3);
    } finally {
      (WebAssembly as { Memory: unknown }).Memory = real;
    }
    expect(made).toEqual([32n, 64n]);
    expect(grown).toEqual([3n]);
    const memory = engineMemory(1, 4); // this Node's own
    growMemory(memory, 2);
    expect(memory.buffer.byteLength).toBe(3 * 65536);
  });
});
