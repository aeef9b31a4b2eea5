/** The scheduler's tunables; `configure()` (system.ts) sets them. */
export const config = {
  /** A slice longer than this kills the process (reason `killed`). */
  runawayMs: 2000,
  /** Reductions per event-loop turn before yielding to the host. */
  turnReductions: 4000,
  /** Reductions a process may take before going to the back of the queue. */
  sliceReductions: 200,
};
