/**
 * The node as a whole (Erlang's node, not Node.js): its clock, the process
 * list, the memory breakdown (like erlang:memory(), tables included),
 * configuration and halt.
 */
import { platform, Exit } from './platform.ts';
import { procs, state, procFootprint } from './process.ts';
import { sharedBinaryBytes } from './binaries.ts';
import type { Pid } from './term.ts';
import { config } from './tunables.ts';
import { guardConfigChanged } from './guard.ts';
import { setStartupMs } from './startup.ts';
import { tablesMemory } from './ets.ts';

/** Milliseconds on the node's monotonic clock (erlang:monotonic_time). */
export function monotonicTime(): number {
  return platform().monotonicMs();
}

/** Pids of all live processes, oldest first. */
export function processes(): Pid[] {
  return [...procs.values()].map((p) => p.pid);
}

export interface MemoryBreakdown {
  /** Bytes the JS heap holds (the host's count). */
  total: number;
  /** The most `total` may reach: allocations past it fail. Past 3/4 of it
   *  new connections are refused, past 7/8 the process holding the most
   *  dies (pressure.ts): an app that keeps data (a table, a cache) sizes
   *  it from this. */
  limit: number;
  /** Estimated bytes of all processes (records, queues, reported state). */
  processes: number;
  /** Estimated bytes of all tables. */
  ets: number;
  /** Bytes of shared binaries referenced from queues and tables, each once. */
  binary: number;
  /** Bytes of the modules in the image. */
  code: number;
  /** The rest of the heap: the kernel, the engine, garbage not yet collected. */
  system: number;
}

export function memory(): MemoryBreakdown {
  const p = platform();
  const { heapUsed: total, heapLimit: limit } = p.memory();
  let processes = 0;
  for (const proc of procs.values()) processes += procFootprint(proc);
  const ets = tablesMemory();
  const binary = sharedBinaryBytes();
  let code = 0;
  for (const m of p.manifest().modules) code += m.size;
  return { total, limit, processes, ets, binary, code, system: Math.max(0, total - processes - ets - binary - code) };
}

export interface Config {
  runawayMs?: number;
  /** The entry module's top level may run this long (default 30,000 ms;
   *  startup.ts). */
  startupMs?: number;
  turnReductions?: number;
  sliceReductions?: number;
}

/** Tunes the scheduler. */
export function configure(c: Config): void {
  for (const k of ['runawayMs', 'turnReductions', 'sliceReductions'] as const) {
    const v = c[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new TypeError(`configure: ${k} must be an integer >= 1, got ${String(v)}`);
    config[k] = v;
  }
  const s = c.startupMs;
  if (s !== undefined) {
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 1) throw new TypeError(`configure: startupMs must be an integer >= 1, got ${String(s)}`);
    setStartupMs(s);
  }
  guardConfigChanged();
}

/** Stops the node with `code`, an integer 0..99. Nothing runs after it. */
export function halt(code: number): never {
  if (typeof code !== 'number' || !Number.isInteger(code) || code < Exit.Ok || code > Exit.AppMax) {
    throw new RangeError(`halt: code must be an integer 0..${Exit.AppMax}, got ${String(code)}`);
  }
  return stopNode(code);
}

/** For the kernel and stdlib (not exported to apps): stops the node with
 *  any status, mote's own included. */
export function stopNode(status: number): never {
  state.halted = true;
  return platform().exit(status);
}
