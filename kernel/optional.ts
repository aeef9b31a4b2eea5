/**
 * Optional modules: the app's side of the memory ladder. A module that the
 * app can do without is loaded through `loadOptional`; if it cannot be
 * loaded, one line
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
 * A module may declare the heap it needs once loaded, in package.json:
 * "mote": {"memory": {"min": "9M", "optional": {"search": "4M", "report": "4M"}}}.
 * Then it loads only while the heap holds `min` plus the needs of the
 * declared modules already loaded and its own, the same test on every host,
 * so `mote inspect` can say at which RAM each one loads (listed in the order
 * the app loads them). An undeclared module is tried, and refused if the
 * engine runs out of memory loading it.
 *
 * Use it outside any process (in the entry module), or pass the result into
 * a process as a message: the import is a promise the scheduler does not
 * control (kernel/README.md).
 */
import { platform } from './platform.ts';

/** Heap bytes declared for the optional modules loaded so far (or loading),
 *  by name: a module loaded twice counts once. Kept per host, as a node is
 *  (the unit tests run several hosts in one process). */
const committedOn = new WeakMap<object, Map<string, number>>();

function committedMap(): Map<string, number> {
  let m = committedOn.get(platform());
  if (!m) committedOn.set(platform(), (m = new Map()));
  return m;
}

export async function loadOptional<T>(name: string, load: () => Promise<T>): Promise<T | null> {
  const declared = platform().manifest().memory;
  const need = declared?.optional?.[name];
  const committed = committedMap();
  const reserves = need !== undefined && !committed.has(name);
  if (reserves) {
    const limit = platform().memory().heapLimit;
    const base = (declared?.min ?? 0) + [...committed.values()].reduce((a, b) => a + b, 0);
    if (base + need > limit) {
      refuse(name, `it needs ${kib(need)} KiB of heap (mote.memory.optional.${name}) beside the ${kib(base)} KiB declared before it, and this RAM gives ${kib(limit)} KiB`);
      return null;
    }
    committed.set(name, need); // before the await: a second load at the same time sees it
  }
  try {
    return await load();
  } catch (e) {
    if (reserves) committed.delete(name);
    refuse(name, describe(e));
    return null;
  }
}

function refuse(name: string, reason: string): void {
  platform().write(`mote: degraded: ${name} not loaded: ${reason}\n`);
}

const kib = (n: number): number => Math.floor(n / 1024);

function describe(e: unknown): string {
  // QuickJS throws null when it cannot even allocate its "out of memory" error.
  if (e === null) return 'out of memory (the engine could not build its error)';
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
