/**
 * The prelude: the few globals apps expect from a JS runtime, installed only
 * where the host lacks them (plain Node has them all; bare QuickJS has none).
 * The builder injects this module before the app's entry.
 *
 *   console       log/info/debug/warn/error, formatted like Node's
 *   setTimeout    and clearTimeout, setInterval, clearInterval (Node's rules:
 *                 a delay of 0, 1, negative, NaN or over 2^31-1 means 1 ms)
 *   queueMicrotask
 */
import { platform } from './platform.ts';
import { formatList } from './inspect.ts';
import { addTimer, removeTimer } from './timers.ts';

const TIMEOUT_MAX = 2147483647; // 2 ** 31 - 1, which QuickJS would compute on its slow path at every boot
const g = globalThis as Record<string, unknown>;

function nodeDelay(ms: unknown): number {
  const n = Number(ms);
  return n >= 1 && n <= TIMEOUT_MAX ? n : 1;
}

function callback(name: string, fn: unknown, args: unknown[]): () => void {
  if (typeof fn !== 'function') {
    throw new TypeError(`${name}: the "callback" argument must be of type function, got ${typeof fn}`);
  }
  return args.length === 0 ? (fn as () => void) : () => (fn as (...a: unknown[]) => void)(...args);
}

/** Timer handles are plain numbers here; clear* accept anything and ignore
 *  what is not a live timer, as Node does. */
function clear(id: unknown): void {
  if (typeof id === 'number') removeTimer(id);
}

export interface TimerGlobals {
  setTimeout(fn: unknown, ms?: unknown, ...args: unknown[]): number;
  clearTimeout(id: unknown): void;
  setInterval(fn: unknown, ms?: unknown, ...args: unknown[]): number;
  clearInterval(id: unknown): void;
  queueMicrotask(fn: unknown): void;
}

/** The timer functions as the prelude installs them (exported for tests). */
export const timerGlobals: TimerGlobals = {
  setTimeout: (fn, ms, ...args) => addTimer(nodeDelay(ms), callback('setTimeout', fn, args)),
  clearTimeout: clear,
  setInterval: (fn, ms, ...args) => {
    const d = nodeDelay(ms);
    return addTimer(d, callback('setInterval', fn, args), d);
  },
  clearInterval: clear,
  queueMicrotask: (fn) => {
    if (typeof fn !== 'function') throw new TypeError('queueMicrotask: the argument must be a function');
    Promise.resolve().then(fn as () => void);
  },
};

/** A console that writes through the platform (exported for tests). */
export function makeConsole(): Record<string, (...args: unknown[]) => void> {
  const write = (...args: unknown[]): void => platform().write(formatList(args) + '\n');
  return { log: write, info: write, debug: write, warn: write, error: write, trace: write };
}

// Plain comparisons and each name written out: this runs at every boot, and
// QuickJS runs `typeof x > "u"` (esbuild's form), a loop over the names
// (g[name]: the engine's computed-key get and set, a post-increment) and
// Object.keys through code that nothing else in a small app needs, each
// block of it translated once under TCG (issue 11, boot time: the loop was
// 226 of the 14,946 guest instructions hello translated). EveryTimerNamed fails to
// compile if a name is left out.
if (g.console === undefined) g.console = makeConsole();
if (g.setTimeout === undefined) g.setTimeout = timerGlobals.setTimeout;
if (g.clearTimeout === undefined) g.clearTimeout = timerGlobals.clearTimeout;
if (g.setInterval === undefined) g.setInterval = timerGlobals.setInterval;
if (g.clearInterval === undefined) g.clearInterval = timerGlobals.clearInterval;
if (g.queueMicrotask === undefined) g.queueMicrotask = timerGlobals.queueMicrotask;
type Installed = 'setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval' | 'queueMicrotask';
type True<T extends true> = T;
export type EveryTimerNamed = True<[Exclude<keyof TimerGlobals, Installed>] extends [never] ? true : false>;
