// The wasm engine for hosted runs (issue 10): the boot layer's QuickJS and C
// host core, built for wasm32, driven from Node: the default hosted engine
// (../engine-choice.ts; MOTE_ENGINE=emscripten gives quickjs-emscripten).
export { runWasm } from './run.ts';
export { WASM_ENGINE } from './module.ts';
