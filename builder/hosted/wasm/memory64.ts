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
