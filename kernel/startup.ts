/**
 * The start-up guard. The entry module's top level runs outside any process,
 * so no slice's runaway guard covers it: it runs under one of its own,
 * `startupMs`, 30 s by default. That is generous on purpose: filling tables
 * or parsing data at start-up is legitimate work, and QEMU without KVM runs
 * it several times slower. `configure({ startupMs })` at the top of the entry
 * changes it. Past it, the top level is aborted and the node stops with
 * `Exit.Uncaught` and one line saying why, as an uncaught exception at the
 * top level would stop it.
 *
 * Start-up ends at the first turn of the event loop (a 0 ms timer, which can
 * fire only once the top level has returned); the scheduler's slices take
 * the guard over from there.
 */
import { Exit, platform } from './platform.ts';
import { addTimer } from './timers.ts';
import { guardConfigChanged } from './guard.ts';
import { handle } from './log_format.ts';

let startupMs = 30_000;
let startedAt = 0;
let starting = false;

function tripped(): void {
  const ms = Math.round(platform().monotonicMs() - startedAt);
  const line = `start-up (the entry module's top level) ran ${ms} ms without yielding (limit ${startupMs} ms, configure startupMs): stopped`;
  handle({ level: 'error', pid: null, args: [line] }); // no process runs at start-up
  platform().exit(Exit.Uncaught);
}

function arm(): void {
  platform().guard(Math.max(1, startupMs - (platform().monotonicMs() - startedAt)), tripped);
}

function done(): void {
  if (!starting) return;
  starting = false;
  platform().guard(0, null);
  guardConfigChanged(); // the scheduler arms its own at its next switch
}

/** configure({ startupMs }): takes effect at once while starting up. */
export function setStartupMs(ms: number): void {
  startupMs = ms;
  if (starting) arm();
}

if (globalThis.__mote) {
  starting = true;
  startedAt = platform().monotonicMs();
  arm();
  addTimer(0, done);
}
