// How V8 tiers the engine's code up. By default (dynamic tiering) each
// function runs V8's baseline code (Liftoff) until it has run a budget's
// worth, and only then gets TurboFan's: a run of a few seconds spends much
// of its CPU in baseline code and in those late compiles, a short one never
// leaves it. With dynamic tiering off, a function gets baseline code when
// first called, as before, and TurboFan's at once in the background: the
// same code in the end, sooner, so a run does not wait for it (issue 11;
// measured in the same run on Node 20, CPU ms, medians: a 150k-step compute
// 640-830 -> 400-450 on its first run, the same once warm; booting from
// source 190 ms of the main thread with it against 160-200 without, and
// 250 ms more CPU in the background). --no-liftoff (TurboFan on first call,
// on the main thread) did as well on first runs but held the main thread
// 1 s at boot.

/** V8's flag for it; V8 11 (Node 20) and 12 (Node 22) have it. */
export const EAGER_TIER_UP = '--no-wasm-dynamic-tiering';

/** Turns dynamic tiering off before the engine compiles, on a V8 known to
 *  have the flag (setting one it lacks prints 'Error: unrecognized flag'),
 *  unless the user chose a tiering of their own (node's flags or
 *  NODE_OPTIONS naming liftoff or tiering). Returns whether it set it. */
export function tierUpEagerly(setFlags: (flags: string) => void, v8 = process.versions.v8, chosen = userFlags()): boolean {
  const major = Number(v8.split('.')[0]);
  if (!(major >= 10 && major <= 12)) return false;
  if (/liftoff|tier/.test(chosen)) return false;
  setFlags(EAGER_TIER_UP);
  return true;
}

const userFlags = (): string => `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
