// The wasm engine for hosted runs (issue 10): the boot layer's QuickJS and C
// host core, built for wasm64 (or wasm32), driven from Node.
export { runWasm } from './run.ts';
export { WASM_ENGINE } from './module.ts';
