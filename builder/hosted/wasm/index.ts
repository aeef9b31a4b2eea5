// The wasm engine for hosted runs (issue 10): the boot layer's QuickJS and C
// host core, built for wasm32, driven from Node. Chosen by MOTE_ENGINE=wasm
// (../engine-choice.ts); quickjs-emscripten stays the default until every
// platform case passes here.
export { runWasm } from './run.ts';
export { WASM_ENGINE } from './module.ts';
