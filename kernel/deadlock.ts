/**
 * A node whose processes all wait with nothing that could wake them (no
 * timer, no console input asked for, no socket) stops, as the host loop
 * does when it has nothing left (platform.ts, step 8), with status 0 as
 * before; but it says so first, in one notice line naming how many
 * processes were waiting, so that a deadlock does not look like success.
 *
 * The scheduler calls `idle` when it has nothing to run; the last look is
 * a 0 ms timer, so it runs only after every promise job (which could still
 * wake someone) has run.
 */
import { procs, state } from './process.ts';
import { addTimer, pendingTimers } from './timers.ts';
import { onIdle, anythingToRun } from './scheduler.ts';
import { openSockets } from './sockets.ts';
import { inputWanted } from './console_input.ts';
import { notice } from './logger.ts';

let looking = false;

const stuck = (): boolean => procs.size > 0 && !anythingToRun() && openSockets() === 0 && !inputWanted();

onIdle((): void => {
  if (looking || pendingTimers() > 0 || !stuck()) return;
  looking = true;
  addTimer(0, () => {
    looking = false;
    if (state.halted || pendingTimers() > 0 || !stuck()) return;
    notice(`node: ${procs.size} process${procs.size === 1 ? '' : 'es'} waiting, with nothing that could wake them (no timer, no input asked for, no socket): stopping`);
  });
});
