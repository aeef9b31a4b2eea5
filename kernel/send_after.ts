/**
 * Process timers, as erlang:send_after/3, start_timer/3, read_timer/1 and
 * cancel_timer/1: a message copied now and sent later, to a pid or to
 * whoever has a name then.
 */
import { procs, caller } from './process.ts';
import { copyTerm, Pid, Ref, type Copied } from './term.ts';
import { addTimer, removeTimer, timeLeft } from './timers.ts';
import { enqueueMessage } from './mailbox.ts';
import { resolveProc } from './registry.ts';

/** sendAfter timers by ref id: the platform timer and where it sends. */
const timers = new Map<number, { id: number; dest: Pid | string }>();

/** Sends `msg` (copied now) to `dest` after `ms`; returns a ref for cancelTimer. */
export function sendAfter(ms: number, dest: Pid | string, msg: unknown): Ref {
  checkTimer('sendAfter', ms, dest);
  const ref = new Ref();
  arm(ref, ms, dest, copyTerm(msg, 'sendAfter'));
  return ref;
}

/** What a startTimer timer sends. */
export interface TimeoutMessage<T = unknown> {
  type: 'timeout';
  ref: Ref;
  msg: T;
}

/** As erlang:start_timer/3: sends `{ type: 'timeout', ref, msg }` to `dest`
 *  after `ms`, `ref` being the timer's, the one returned. */
export function startTimer(ms: number, dest: Pid | string, msg: unknown): Ref {
  checkTimer('startTimer', ms, dest);
  const ref = new Ref();
  arm(ref, ms, dest, copyTerm({ type: 'timeout', ref, msg }, 'startTimer'));
  return ref;
}

function checkTimer(what: string, ms: number, dest: Pid | string): void {
  if (typeof ms !== 'number' || !(ms >= 0) || ms === Infinity) throw new TypeError(`${what}: ms must be a finite number >= 0, got ${String(ms)}`);
  resolveProc(dest, what); // type check only: a name is looked up when it fires
  caller(); // a dead process schedules nothing
}

function arm(ref: Ref, ms: number, dest: Pid | string, m: Copied): void {
  const id = addTimer(ms, () => {
    timers.delete(ref.id);
    const p = resolveProc(dest, 'timer');
    if (p) enqueueMessage(p, m);
  });
  timers.set(ref.id, { id, dest });
}

/** A timer's whole milliseconds left, or false if it already fired, was
 *  cancelled, or was aimed at a pid that has died (as in Erlang, such a
 *  timer is cancelled with its process). */
export function readTimer(ref: Ref): number | false {
  if (!(ref instanceof Ref)) throw new TypeError(`readTimer: expected a ref, got ${String(ref)}`);
  const t = timers.get(ref.id);
  if (t === undefined) return false;
  if (t.dest instanceof Pid && !procs.has(t.dest.id)) return false;
  return Math.ceil(timeLeft(t.id) ?? 0);
}

/** Cancels a sendAfter or startTimer timer: the whole milliseconds it had left, or false
 *  if it already fired, was cancelled, or was aimed at a pid that has died
 *  (as in Erlang, such a timer is cancelled with its process). */
export function cancelTimer(ref: Ref): number | false {
  if (!(ref instanceof Ref)) throw new TypeError(`cancelTimer: expected a ref, got ${String(ref)}`);
  const t = timers.get(ref.id);
  if (t === undefined) return false;
  const left = timeLeft(t.id) ?? 0;
  removeTimer(t.id);
  timers.delete(ref.id);
  if (t.dest instanceof Pid && !procs.has(t.dest.id)) return false;
  return Math.ceil(left);
}
