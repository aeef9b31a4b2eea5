// The core details the stdlib needs but apps do not see: the one way from
// kernel/stdlib/ into the core besides the public API (what kernel/index.ts
// exports). tests/kernel/stdlib-surface.test.ts holds every other stdlib
// file to that. Each line says what the stdlib uses it for.

/** A behaviour's process (gen_server), its heap-limit measuring. */
export { spawnHandler, hasHeapLimit, reportStateBytes } from '../process_api.ts';
/** The generic call protocol under GenServer.call and sys. */
export { call, reply, isCall, DEFAULT_CALL_TIMEOUT, type From } from '../call.ts';
/** A thrown value as an exit reason; is it the engine's out of memory. */
export { reasonOf, isOutOfMemory } from '../signals.ts';
/** The engine's promise and its watch: a handler for a callback's promise
 *  that gen_server could not chain for want of memory. */
export { EnginePromise, watch } from '../engine_promise.ts';
/** A pid or a name to its process, without sending (stop, sendRequest). */
export { resolveProc } from '../registry.ts';
/** State sizes (maxHeapSize), copies (sys, hibernate), a binary's bytes (http). */
export { termSize, copyTerm, binaryBytes } from '../term.ts';
/** Stopping the node with mote's own statuses (application). */
export { stopNode } from '../system.ts';
