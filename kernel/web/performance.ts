/**
 * performance.now() and performance.timeOrigin (High Resolution Time). now()
 * is the platform's monotonic clock, which counts from the host's start (the
 * boot on metal), so it is the time since the program began; timeOrigin is
 * the wall time of that start, read once. Nothing runs at load, so an app
 * that never names `performance` carries none of this. Injected as a global
 * only where an app names it.
 */
import { platform } from '../platform.ts';

let origin: number | undefined;

export const performance = {
  now: (): number => platform().monotonicMs(),
  get timeOrigin(): number {
    return (origin ??= platform().wallMs() - platform().monotonicMs());
  },
  toJSON(): { timeOrigin: number } {
    return { timeOrigin: this.timeOrigin };
  },
};
