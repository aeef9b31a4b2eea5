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

export function isOutOfMemory(e: unknown): boolean {
  // QuickJS throws InternalError "out of memory"; V8 a RangeError on huge
  // allocations. QuickJS throws null when it cannot even allocate that error
  // (the boot layer keeps a rescue window for it, the hosted engine cannot),
  // so a thrown null is taken for running out too: the same reason on every
  // host. (A program's own `throw null` ends its process as out_of_memory.)
  if (e === null) return true;
  return e instanceof Error && /out of memory|Array buffer allocation failed/i.test(e.message);
}

/** A reason as it may travel in a message: copied, or as text if it cannot. */
export function travelling(r: Reason): Reason {
  try {
    return copyTerm(r, 'exit reason').value;
  } catch {
    return String(r);
  }
}
