// Refuses a wasm module that imports anything but module "mote": its devices
// and its memory, which the Node driver (builder/hosted/wasm/) provides.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--experimental-wasm-memory64'); // the wasm64 engine's memory (Node 20)

const path = process.argv[2];
const imports = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(path)));
const foreign = imports.filter((i) => i.module !== 'mote' && !(i.module === 'env' && i.name === 'memory'));
if (foreign.length) {
  console.error(`wasm engine: imports the driver does not provide: ${foreign.map((i) => `${i.module}.${i.name}`).join(', ')}`);
  process.exit(1);
}
