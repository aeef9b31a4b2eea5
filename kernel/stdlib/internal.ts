// Kernel details the stdlib needs but apps should not see.
import { state } from '../process.ts';
import type { Pid } from '../term.ts';

/** The parent (spawner) of the running process. */
export function processInfoParent(): Pid | null {
  return state.current ? state.current.parent : null;
}
