/**
 * AbortController and AbortSignal (DOM Standard): abort(), reason, throwIfAborted,
 * onabort, and the static AbortSignal.abort, AbortSignal.timeout and
 * AbortSignal.any. timeout() uses the kernel's timers, so it fires inside the
 * event loop as a setTimeout does. Injected as globals only where an app names them.
 */
import { addTimer } from '../timers.ts';
import { DOMException } from './dom_exception.ts';
import { Event, EventTarget } from './events.ts';
import { report } from './support/report.ts';

const MAKE = /* @__PURE__ */ Symbol('AbortSignal');

export class AbortSignal extends EventTarget {
  /** Internal: set once, by abort. */
  abortedWith: { reason: unknown } | null = null;
  onabort: ((event: Event) => void) | null = null;

  /** Not for apps: signals come from an AbortController or the statics. */
  constructor(key?: symbol) {
    super();
    if (key !== MAKE) throw new TypeError('AbortSignal: illegal constructor (use new AbortController().signal)');
  }

  get aborted(): boolean {
    return this.abortedWith !== null;
  }
  get reason(): unknown {
    return this.abortedWith?.reason;
  }
  throwIfAborted(): void {
    if (this.abortedWith) throw this.abortedWith.reason;
  }

  static abort(reason?: unknown): AbortSignal {
    const s = new AbortSignal(MAKE);
    abortSignal(s, reason);
    return s;
  }

  static timeout(ms: number): AbortSignal {
    const s = new AbortSignal(MAKE);
    addTimer(Math.max(1, Number(ms) || 0), () => abortSignal(s, new DOMException('The operation timed out.', 'TimeoutError')));
    return s;
  }

  static any(signals: Iterable<AbortSignal>): AbortSignal {
    const s = new AbortSignal(MAKE);
    const all = [...signals];
    const done = all.find((x) => x.aborted);
    if (done) abortSignal(s, done.reason);
    else for (const x of all) x.addEventListener('abort', () => abortSignal(s, x.reason), { once: true });
    return s;
  }

}

function abortSignal(s: AbortSignal, reason: unknown): void {
  if (s.abortedWith) return;
  s.abortedWith = { reason: reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason };
  const event = new Event('abort');
  if (s.onabort) {
    try {
      s.onabort.call(s, event);
    } catch (e) {
      report('an onabort handler threw:', e);
    }
  }
  s.dispatchEvent(event);
}

export class AbortController {
  readonly signal = new AbortSignal(MAKE);
  abort(reason?: unknown): void {
    abortSignal(this.signal, reason);
  }
}
