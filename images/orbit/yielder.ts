// Long computations yield now and then, so the scheduler's runaway guard
// (which kills a process that runs runawayMs without yielding) never fires, and
// other processes and timers get their turn. Use as
// `if (due()) await sleep(1)`: awaiting anything but a kernel promise would
// leave the process's context, and sleep(0) is a poll that goes on with the
// same slice (the kernel checks a slice's time only every 16th reduction,
// so 16 polls 100 ms apart were killed as a runaway).
import { monotonicTime } from 'mote';

const SLICE_MS = 50;

/** A test that is true once SLICE_MS has passed since it was last true. */
export function yieldDue(): () => boolean {
  let since = monotonicTime();
  return () => {
    const now = monotonicTime();
    if (now - since < SLICE_MS) return false;
    since = now;
    return true;
  };
}
