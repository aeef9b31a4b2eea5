/**
 * Event and EventTarget (DOM Standard), the part servers share: listeners
 * with `once`, `capture` as a key, `signal` removal, `handleEvent` objects,
 * `preventDefault`, `stopImmediatePropagation`. No tree, so no bubbling
 * phase. A listener that throws is reported on the console and the dispatch
 * goes on, as in browsers. Injected as globals only where
 * an app names them.
 */
import { DOMException } from './dom_exception.ts';
import { report } from './support/report.ts';

export interface EventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
}

export class Event {
  // Getters, not static fields: a field assignment runs at load, and would
  // keep this file in every bundle that has a CommonJS module.
  static get NONE(): number {
    return 0;
  }
  static get CAPTURING_PHASE(): number {
    return 1;
  }
  static get AT_TARGET(): number {
    return 2;
  }
  static get BUBBLING_PHASE(): number {
    return 3;
  }
  readonly type: string;
  readonly bubbles: boolean;
  readonly cancelable: boolean;
  readonly composed: boolean;
  readonly timeStamp = Date.now();
  readonly isTrusted = false;
  defaultPrevented = false;
  /** Internal: set by dispatchEvent. */
  target: EventTarget | null = null;
  currentTarget: EventTarget | null = null;
  eventPhase = 0;
  stopped = false;
  /** Internal: whether a dispatch is under way. */
  inDispatch = false;

  constructor(type: string, init: EventInit = {}) {
    if (arguments.length === 0) throw new TypeError('Event: 1 argument required, but only 0 present');
    this.type = String(type);
    this.bubbles = Boolean(init.bubbles);
    this.cancelable = Boolean(init.cancelable);
    this.composed = Boolean(init.composed);
  }
  get srcElement(): EventTarget | null {
    return this.target;
  }
  get returnValue(): boolean {
    return !this.defaultPrevented;
  }
  get cancelBubble(): boolean {
    return this.stopped;
  }
  composedPath(): EventTarget[] {
    return this.inDispatch && this.target ? [this.target] : [];
  }
  preventDefault(): void {
    if (this.cancelable) this.defaultPrevented = true;
  }
  stopPropagation(): void {}
  stopImmediatePropagation(): void {
    this.stopped = true;
  }
}

export class CustomEvent<T = unknown> extends Event {
  readonly detail: T | null;
  constructor(type: string, init: EventInit & { detail?: T } = {}) {
    super(type, init);
    this.detail = init.detail ?? null;
  }
}

type Callback = ((event: Event) => void) | { handleEvent(event: Event): void };

interface Listener {
  callback: Callback;
  capture: boolean;
  once: boolean;
  removed: boolean;
}

interface ListenOptions {
  capture?: boolean;
  once?: boolean;
  passive?: boolean;
  signal?: { aborted: boolean; addEventListener(t: string, f: () => void, o?: { once?: boolean }): void };
}

export class EventTarget {
  /** Internal: the listeners by event type. */
  listeners = new Map<string, Listener[]>();

  addEventListener(type: string, callback: Callback | null, options: boolean | ListenOptions = {}): void {
    if (callback === null || callback === undefined) return;
    const o = typeof options === 'boolean' ? { capture: options } : options;
    if (o.signal?.aborted) return;
    const list = this.listeners.get(type) ?? [];
    const capture = Boolean(o.capture);
    if (list.some((l) => l.callback === callback && l.capture === capture)) return;
    const listener: Listener = { callback, capture, once: Boolean(o.once), removed: false };
    list.push(listener);
    this.listeners.set(type, list);
    o.signal?.addEventListener('abort', () => this.removeEventListener(type, callback, { capture }), { once: true });
  }

  removeEventListener(type: string, callback: Callback | null, options: boolean | { capture?: boolean } = {}): void {
    const capture = Boolean(typeof options === 'boolean' ? options : options.capture);
    const list = this.listeners.get(type);
    if (!list) return;
    const i = list.findIndex((l) => l.callback === callback && l.capture === capture);
    if (i < 0) return;
    list[i].removed = true;
    list.splice(i, 1);
  }

  dispatchEvent(event: Event): boolean {
    if (!(event instanceof Event)) throw new TypeError('dispatchEvent: the argument must be an Event');
    if (event.inDispatch) throw new DOMException('dispatchEvent: the event is already being dispatched', 'InvalidStateError');
    event.inDispatch = true;
    event.target = this;
    event.currentTarget = this;
    event.eventPhase = Event.AT_TARGET;
    try {
      for (const l of [...(this.listeners.get(event.type) ?? [])]) {
        if (l.removed) continue;
        if (l.once) this.removeEventListener(event.type, l.callback, { capture: l.capture });
        try {
          if (typeof l.callback === 'function') l.callback.call(this, event);
          else l.callback.handleEvent(event);
        } catch (e) {
          report(`a listener for "${event.type}" threw:`, e);
        }
        if (event.stopped) break;
      }
    } finally {
      event.currentTarget = null;
      event.eventPhase = Event.NONE;
      event.inDispatch = false;
    }
    return !event.defaultPrevented;
  }
}
