/**
 * Exit reasons: what a process ends with, and the exception that ends the
 * running process (`exit(reason)` throws it, as erlang:exit/1 does).
 */
import { copyTerm } from './term.ts';

/** Why a process exited: 'normal', 'shutdown', 'killed', ... or any term. */
export type Reason = unknown;

/** Thrown to end the running process with `reason` (exit/1). */
export class ProcessExit extends Error {
  constructor(readonly reason: Reason) {
    super(`process exit: ${describe(reason)}`);
    this.name = 'ProcessExit';
  }
}

function describe(r: Reason): string {
  if (typeof r === 'string') return r;
  try {
    return JSON.stringify(r) ?? String(r);
  } catch {
    return String(r);
  }
}

/** The exit reason for an error thrown in a process. */
export function reasonOf(e: unknown): Reason {
  if (e instanceof ProcessExit) return e.reason;
  if (isOutOfMemory(e)) return 'out_of_memory';
  if (e instanceof Error) return { error: `${e.name}: ${e.message}`, stack: e.stack ?? '' };
  return { error: 'thrown', value: travelling(e) };
}

/** The engine's own words for running out: QuickJS's InternalError, V8's
 *  RangeError on a huge buffer. */
const OUT_OF_MEMORY = 'out of memory';
const V8_BUFFER = 'Array buffer allocation failed';

/** Is `e` the engine running out of memory? It runs while the heap is
 *  exhausted, so it allocates nothing: plain comparisons, and a string
 *  method created at load (a regex literal is a new object at every run, and
 *  QuickJS creates some built-ins at first use). The kernel's own "...: out
 *  of memory: ..." errors (ets's refused insert) count too. */
export function isOutOfMemory(e: unknown): boolean {
  // QuickJS throws null when it cannot even allocate its error (the boot
  // layer keeps a rescue window for it, the hosted engine cannot), so a
  // thrown null is taken for running out too: the same reason on every host.
  // (A program's own `throw null` ends its process as out_of_memory.)
  if (e === null) return true;
  if (!(e instanceof Error)) return false;
  const m: unknown = e.message;
  return m === OUT_OF_MEMORY || m === V8_BUFFER || (typeof m === 'string' && m.indexOf(OUT_OF_MEMORY) >= 0);
}
isOutOfMemory(new Error(`${OUT_OF_MEMORY}.`)); // at load: whatever it uses exists before the heap is full

/** A reason as it may travel in a message: copied, or as text if it cannot
 *  be (running out of memory is not that: a death's copy of its reason that
 *  ran out made its DOWN say "[object Object]"; die tries again). */
export function travelling(r: Reason): Reason {
  try {
    return copyTerm(r, 'exit reason').value;
  } catch (e) {
    if (isOutOfMemory(e)) throw e;
    return String(r);
  }
}
