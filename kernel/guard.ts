/**
 * The runaway guard over the scheduler's slices: the platform's one guard
 * (`platform().guard`), which hosts that can interrupt JS trip when a slice
 * runs `runawayMs` without yielding.
 *
 * It is re-armed only when a quarter of runawayMs has passed since it was
 * last armed, not on every switch (a host call costs ~5 us hosted, too much
 * per switch): on interrupting hosts a process is killed after running
 * between 3/4 and all of runawayMs without yielding, and the trip kills the
 * process running at that moment. The start-up guard (startup.ts) uses the
 * same platform guard before the first slice.
 */
import { platform } from './platform.ts';
import { config } from './tunables.ts';
import { now } from './clock.ts';

/** When the guard was last armed (-1: it is off); the scheduler reads it
 *  to skip the call at a switch that would not re-arm it. */
export let armedAt = -1;
/** What the armed guard calls when it trips (for `unguarded` to re-arm it). */
let armedTrip: (() => void) | null = null;

/** A slice begins at `t`: arms the guard, if due, to call `onTrip`. */
export function armGuard(t: number, onTrip: () => void): void {
  if (armedAt !== -1 && t - armedAt < config.runawayMs / 4) return;
  armedAt = t;
  armedTrip = onTrip;
  platform().guard(config.runawayMs, () => {
    armedAt = -1;
    onTrip();
  });
}

/** An `unguarded` call is running. */
let unguarding = false;

/** Runs `fn`, the kernel's own work inside a slice (a lazy Web API's first
 *  load), with the guard off; the slice's time starts again after it. The
 *  first `new URL` runs its library's set-up, which on a busy machine under
 *  TCG took more than the 2 s runawayMs, and killed the process for it. */
export function unguarded<T>(fn: () => T): T {
  const trip = armedTrip;
  // Inside another (a lazy class whose load makes another's first): the
  // outer one re-arms at its end and excuses the whole stretch once.
  if (unguarding || armedAt === -1 || !trip) return fn();
  unguarding = true;
  platform().guard(0, null);
  const start = now();
  try {
    return fn();
  } finally {
    unguarding = false;
    const end = now();
    excuse(end - start);
    armedAt = -1;
    armGuard(end, trip);
  }
}

let excuse: (ms: number) => void = () => {};
/** Told how long each unguarded stretch took: the scheduler moves the
 *  running slice's start by it, as it judges runaways by that start too. */
export function onUnguarded(fn: (ms: number) => void): void {
  excuse = fn;
}

/** No slice runs: the guard is off. */
export function disarmGuard(): void {
  if (armedAt === -1) return;
  armedAt = -1;
  platform().guard(0, null);
}

/** After a change of runawayMs (or the start-up guard's end): the next
 *  switch arms the guard anew. */
export function guardConfigChanged(): void {
  armedAt = -1e9;
}

/** Has the armed guard's deadline passed (so an interrupt now is its)? */
export function guardPassed(): boolean {
  return armedAt !== -1 && now() - armedAt >= config.runawayMs;
}
