/**
 * The node: process timers (sendAfter, cancelTimer), the process list, the
 * memory breakdown (like erlang:memory()), configuration and halt.
 */
import { platform, Exit } from './platform.ts';
import { procs, state, procMemory, caller } from './process.ts';
import { sharedBinaryBytes } from './binaries.ts';
import { copyTerm, Pid, Ref } from './term.ts';
import { addTimer, removeTimer, timeLeft } from './timers.ts';
import { enqueueMessage } from './mailbox.ts';
import { resolveProc } from './registry.ts';
import { config } from './tunables.ts';
import { guardConfigChanged } from './guard.ts';
import { setStartupMs } from './startup.ts';
import { tablesMemory } from './ets.ts';

/** sendAfter timers by ref id: the platform timer and where it sends. */
const timers = new Map<number, { id: number; dest: Pid | string }>();

/** Sends `msg` (copied now) to `dest` after `ms`; returns a ref for cancelTimer. */
export function sendAfter(ms: number, dest: Pid | string, msg: unknown): Ref {
  if (typeof ms !== 'number' || !(ms >= 0) || ms === Infinity) throw new TypeError(`sendAfter: ms must be a finite number >= 0, got ${String(ms)}`);
  resolveProc(dest, 'sendAfter'); // type check only: a name is looked up when it fires
  caller(); // a dead process schedules nothing
  const m = copyTerm(msg, 'sendAfter');
  const ref = new Ref();
  const id = addTimer(ms, () => {
    timers.delete(ref.id);
    const p = resolveProc(dest, 'sendAfter');
    if (p) enqueueMessage(p, m);
  });
  timers.set(ref.id, { id, dest });
  return ref;
}

/** Cancels a sendAfter timer: the whole milliseconds it had left, or false
 *  if it already fired, was cancelled, or was aimed at a pid that has died
 *  (as in Erlang, such a timer is cancelled with its process). */
export function cancelTimer(ref: Ref): number | false {
  if (!(ref instanceof Ref)) throw new TypeError(`cancelTimer: expected a ref, got ${String(ref)}`);
  const t = timers.get(ref.id);
  if (t === undefined) return false;
  const left = timeLeft(t.id) ?? 0;
  removeTimer(t.id);
  timers.delete(ref.id);
  if (t.dest instanceof Pid && !procs.has(t.dest.id)) return false;
  return Math.ceil(left);
}

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
  const total = p.memory().heapUsed;
  let processes = 0;
  for (const proc of procs.values()) processes += procMemory(proc);
  const ets = tablesMemory();
  const binary = sharedBinaryBytes();
  let code = 0;
  for (const m of p.manifest().modules) code += m.size;
  return { total, processes, ets, binary, code, system: Math.max(0, total - processes - ets - binary - code) };
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
