/**
 * Optional modules: the app's side of the memory ladder. A module that the
 * app can do without is loaded through `loadOptional`; if it cannot be
 * loaded (most often: not enough memory left for it), one line
 *
 *   mote: degraded: NAME not loaded: REASON
 *
 * goes to the console, where `mote budget` reads it, and the result is null:
 * the app runs on without it.
 *
 *   loadOptional('report', () => import('./report.ts')).then((report) => {
 *     if (report) report.describe(values);
 *   });
 *
 * Use it outside any process (in the entry module), or pass the result into
 * a process as a message: the import is a promise the scheduler does not
 * control (kernel/README.md).
 */
import { platform } from './platform.ts';

export async function loadOptional<T>(name: string, load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (e) {
    platform().write(`mote: degraded: ${name} not loaded: ${describe(e)}\n`);
    return null;
  }
}

function describe(e: unknown): string {
  // QuickJS throws null when it cannot even allocate its "out of memory" error.
  if (e === null) return 'out of memory (the engine could not build its error)';
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
