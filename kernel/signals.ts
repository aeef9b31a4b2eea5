/**
 * Exit signals, links and monitors, as Erlang defines them.
 *
 * When a process exits with reason R:
 *   - every linked process gets an exit signal R: a process trapping exits
 *     receives `{ type: 'EXIT', from, reason: R }`; otherwise R = 'normal' is
 *     ignored and any other R kills it with R (and so on along its links);
 *   - every process monitoring it receives
 *     `{ type: 'DOWN', ref, pid, reason: R }`.
 *
 * `exit(pid, R)` sends an exit signal as if through a link, except that
 * R = 'kill' cannot be trapped and kills with reason 'killed', and R = 'normal'
 * sent to oneself ends oneself.
 *
 * Deaths propagate through a work list, not recursion, so long chains of
 * links (a ring of 10,000) do not overflow the stack.
 */
import { Proc, procs } from './process.ts';
import { Pid, Ref } from './term.ts';
import { ProcessExit, isOutOfMemory, travelling, type Reason } from './reasons.ts';
import { deliver, dropMailbox, takeMessage } from './mailbox.ts';

// Exit reasons are signals' vocabulary: importers of signals.ts find them here.
export { ProcessExit, reasonOf, isOutOfMemory } from './reasons.ts';

export interface ExitMessage {
  type: 'EXIT';
  /** The sender; null for a signal sent from outside any process. */
  from: Pid | null;
  reason: Reason;
}

export interface DownMessage {
  type: 'DOWN';
  ref: Ref;
  pid: Pid;
  reason: Reason;
  /** Set when the monitor was taken by registered name (OTP's
   *  `{Name, Node}`); `pid` is then the process that had the name, or, if
   *  no process had it, a pid of no process. */
  name?: string;
}

/** Hooks run when any process dies: receive.ts drops its wait, the registry
 *  frees its name, tables and sockets go with their owner. */
export const onDeath: ((p: Proc, reason: Reason) => void)[] = [];

/** Hooks run when a monitor ends by its DOWN (alias.ts: a monitor's alias
 *  goes with it). */
export const onMonitorDown: ((watcher: Proc, ref: Ref) => void)[] = [];

/** An exit signal a death queued; `at` is where `to`'s mailbox ended when
 *  it was first given (-1: not yet), so that a second run looks for it
 *  only past that point. */
type Pending = { to: Proc; from: Pid; reason: Reason; link: boolean; at: number };
const pending: Pending[] = [];
let propagating = false;

/** What a death does when it runs out of memory midway (out_of_memory.ts
 *  sets it): it makes room and runs `rest(p, reason)` again, which goes on
 *  from where it stopped, or stops the node. A death is all or nothing: a
 *  process half dead (out of the table, its links and monitors untold)
 *  left its supervisor and its watchers waiting for ever. Null: the
 *  engine's error goes to die's caller. */
export const deathOutOfMemory = {
  handle: null as ((rest: (p: Proc, reason: Reason) => void, p: Proc, reason: Reason) => void) | null,
};
/** A death's work is being done again: what was delivered before it
 *  stopped is not delivered twice. */
let again = false;

/** The deaths whose end() is running, innermost last: a trip of the runaway
 *  guard stops kernel code where it is, and finishInterrupted runs them
 *  again. Slots made at load: a death records itself without allocating
 *  (with the heap full that would fail before the death began). */
const ENDING_SLOTS = 32;
const endingProc: (Proc | null)[] = new Array<Proc | null>(ENDING_SLOTS).fill(null);
const endingReason: Reason[] = new Array<Reason>(ENDING_SLOTS).fill('normal');
let endingDepth = 0;

/** p exits with `reason`. */
export function die(p: Proc, reason: Reason): void {
  if (!p.alive) return;
  const d = endingDepth;
  if (d < ENDING_SLOTS) {
    endingProc[d] = p;
    endingReason[d] = reason;
  } // deeper deaths inside deaths go unrecorded: a trip there is not mended
  endingDepth = d + 1;
  try {
    whole(end, p, reason);
  } finally {
    // an error's way out; a trip's skips it (QuickJS runs no finally for an uncatchable one)
    endingDepth = d;
    if (d < ENDING_SLOTS) endingProc[d] = null;
  }
  if (propagating) return;
  propagating = true;
  try {
    whole(propagate, p, reason);
  } finally {
    propagating = false;
  }
}

/** The runaway guard tripped (scheduler.ts): a death it stopped midway, in
 *  a slice that ran long (a process dropping a table of 100k rows at its
 *  end), goes on from where it stopped, as after running out of memory,
 *  and the exit signals queued are given. Without it the process stayed
 *  half dead: its monitors never told, its supervisor waiting for ever. */
export function finishInterrupted(): void {
  const depth = endingDepth < ENDING_SLOTS ? endingDepth : ENDING_SLOTS;
  endingDepth = 0;
  if (depth === 0 && !propagating) return;
  propagating = true;
  again = true;
  try {
    for (let i = depth - 1; i >= 0; i--) {
      const p = endingProc[i]!;
      endingProc[i] = null;
      whole(end, p, endingReason[i]);
    }
    whole(propagate, NOBODY, 'normal');
  } finally {
    again = false;
    propagating = false;
  }
}

/** The Proc given to propagate as a death's step, which reads neither argument. */
const NOBODY = null as unknown as Proc;

/** Runs a death's step; if it runs out of memory, hands it to
 *  deathOutOfMemory to run again from where it stopped. */
function whole(step: (p: Proc, reason: Reason) => void, p: Proc, reason: Reason): void {
  try {
    step(p, reason);
  } catch (e) {
    const handle = deathOutOfMemory.handle;
    if (handle === null || !isOutOfMemory(e)) throw e;
    const was = again;
    again = true;
    try {
      handle(step, p, reason);
    } finally {
      again = was;
    }
  }
}

/** p's death, told to what holds it: each part is undone as it is done, so
 *  that a second run after running out goes on where the first stopped. */
function end(p: Proc, reason: Reason): void {
  if (p.alive) p.alive = false;
  p.exitReason = reason;
  procs.delete(p.pid.id);
  dropMailbox(p);
  for (let i = 0; i < onDeath.length; i++) onDeath[i](p, reason);
  const r = travelling(reason);
  if (p.monitors) for (const { ref, target } of p.monitors.values()) target.monitoredBy?.delete(ref.id);
  p.monitors = null;
  const by = p.monitoredBy;
  if (by) {
    for (const { ref, watcher, name } of by.values()) {
      watcher.monitors?.delete(ref.id);
      for (const hook of onMonitorDown) hook(watcher, ref);
      if (!again || !holds(watcher, 'DOWN', ref)) deliver(watcher, down(ref, p.pid, name, r));
      by.delete(ref.id);
    }
  }
  p.monitoredBy = null;
  const links = p.links;
  if (links) {
    for (const q of links) {
      pending.push({ to: q, from: p.pid, reason: r, link: true, at: -1 });
      q.links?.delete(p);
      links.delete(q);
    }
  }
  p.links = null;
}

/** The exit signals deaths queued, each taken off once it is given. One
 *  whose first try ran out may have been queued before it did: it is
 *  looked for only among what came after that try began, since an EXIT
 *  from the same pid queued earlier (its exit(pid, reason)) is not it. */
function propagate(): void {
  while (pending.length > 0) {
    const s = pending[0];
    if (s.at < 0) {
      s.at = s.to.mailbox.length;
      signal(s.to, s.from, s.reason, s.link, false);
    } else if (!holds(s.to, 'EXIT', s.from, s.at)) {
      signal(s.to, s.from, s.reason, s.link, false);
    }
    pending.shift();
  }
}

/** Does p's mailbox, from index `from` on, hold the DOWN of `ref` or an
 *  EXIT from `key` already (delivered before the death's work ran out)?
 *  Only on a second run. */
function holds(p: Proc, type: 'DOWN' | 'EXIT', key: Ref | Pid, from = 0): boolean {
  const first = from > p.head ? from : p.head;
  for (let i = p.mailbox.length - 1; i >= first; i--) {
    const v = p.mailbox[i].value as { type?: unknown; ref?: unknown; from?: unknown };
    if (v !== null && typeof v === 'object' && v.type === type && (type === 'DOWN' ? v.ref : v.from) === key) return true;
  }
  return false;
}

function signal(to: Proc, from: Pid | null, reason: Reason, link: boolean, toSelf: boolean): void {
  if (!to.alive) return;
  if (!link && reason === 'kill') return die(to, 'killed');
  if (to.trapExit) {
    deliver(to, { type: 'EXIT', from, reason } satisfies ExitMessage);
    return;
  }
  if (reason === 'normal' && !toSelf) return;
  die(to, reason);
}

/** exit(pid, reason): send an exit signal from `from` (null: outside any
 *  process). Throws ProcessExit if it ends the caller itself. */
export function sendExit(from: Proc | null, to: Proc | undefined, reason: Reason): void {
  if (!to) return;
  signal(to, from ? from.pid : null, travelling(reason), false, from === to);
  if (from && !from.alive) throw new ProcessExit(from.exitReason);
}

export function link(a: Proc, b: Proc): void {
  if (a === b) return;
  (a.links ??= new Set()).add(b);
  (b.links ??= new Set()).add(a);
}

export function unlink(a: Proc, b: Proc): void {
  a.links?.delete(b);
  b.links?.delete(a);
}

/** A DOWN message; `name` only for a monitor taken by name. */
function down(ref: Ref, pid: Pid, name: string | null, reason: Reason): DownMessage {
  return name === null ? { type: 'DOWN', ref, pid, reason } : { type: 'DOWN', ref, pid, name, reason };
}

/** `watcher` monitors `target` (`targetPid`), taken by `name` or by pid
 *  (null), under `ref` (a new one unless given: spawnRequest's monitor is
 *  its request id). No live target: DOWN noproc at once. */
export function monitor(watcher: Proc, target: Proc | undefined, targetPid: Pid, name: string | null, ref = new Ref()): Ref {
  if (!target || !target.alive) {
    deliver(watcher, down(ref, targetPid, name, 'noproc'));
    return ref;
  }
  (watcher.monitors ??= new Map()).set(ref.id, { ref, target });
  (target.monitoredBy ??= new Map()).set(ref.id, { ref, watcher, name });
  return ref;
}

/** Removes a monitor; with `flush`, also a DOWN for it already queued.
 *  Returns true if the monitor was active (found and removed: no DOWN for
 *  it was or will be delivered). */
export function demonitor(watcher: Proc, ref: Ref, flush: boolean): boolean {
  const m = watcher.monitors?.get(ref.id);
  if (m) {
    watcher.monitors!.delete(ref.id);
    m.target.monitoredBy?.delete(ref.id);
  }
  // An active monitor has sent no DOWN: only an ended one may have one queued.
  if (flush && !m) {
    for (let i = watcher.head; i < watcher.mailbox.length; i++) {
      const v = watcher.mailbox[i].value as DownMessage;
      if (v && typeof v === 'object' && v.type === 'DOWN' && v.ref === ref) {
        takeMessage(watcher, i); // and its bytes leave the process's accounting
        break;
      }
    }
  }
  return m !== undefined;
}
