// Whether a wasm module's imported memory is a memory64 one (the engine
// built for wasm64, `make -C qemu`'s default), read from its import section:
// the driver must know before it compiles the module (Node 20 compiles
// memory64 only with V8's flag on) and when it makes the memory.

const IMPORT_SECTION = 2;
const MEMORY = 2;
const MEMORY64_FLAG = 0x04;

export function importsMemory64(bytes: Uint8Array): boolean {
  let at = 8; // magic and version
  const u32 = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++]!;
      value += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return value;
    }
  };
  const skipName = () => {
    const n = u32();
    at += n;
  };
  while (at < bytes.length) {
    const id = bytes[at++]!;
    const size = u32();
    if (id !== IMPORT_SECTION) {
      at += size;
      continue;
    }
    for (let count = u32(); count > 0; count--) {
      skipName();
      skipName();
      const kind = bytes[at++]!;
      if (kind === MEMORY) return (bytes[at]! & MEMORY64_FLAG) !== 0;
      if (kind === 0) u32(); // a function: its type
      else if (kind === 1) { at++; const flags = bytes[at++]!; u32(); if (flags & 1) u32(); } // a table: type, limits
      else at += 2; // a global: type, mutability
    }
    return false;
  }
  return false;
}

/** The smallest module with a memory64 memory (one page): valid where this
 *  Node's V8 compiles memory64. */
const MEMORY64_PROBE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, MEMORY64_FLAG, 0]);

export const memory64Compiles = (): boolean => WebAssembly.validate(MEMORY64_PROBE);

/** Makes this Node compile memory64, turning V8's flag on only if it must:
 *  Node 20 and 22 have memory64 behind it; a V8 that ships memory64 may have
 *  dropped the flag, and then setting it prints 'Error: unrecognized flag'.
 *  Returns an error's message if memory64 still does not compile. */
export function enableMemory64(setFlags: (flags: string) => void, compiles = memory64Compiles): string | null {
  if (compiles()) return null;
  setFlags('--experimental-wasm-memory64');
  if (compiles()) return null;
  return `this Node (${process.version}) cannot compile the wasm64 engine (WebAssembly memory64): use Node 20 or later, or build the wasm32 engine (make -C qemu WASM=32 wasm)`;
}
