/**
 * Supervisor: OTP's supervisor, written as a GenServer callback module.
 *
 * Flags (the init function returns `{ flags, children }`):
 *
 * | key       | mandatory | default        | meaning                                    |
 * | --------- | --------- | -------------- | ------------------------------------------ |
 * | strategy  | no        | 'one_for_one'  | one_for_one, one_for_all, rest_for_one,    |
 * |           |           |                | simple_one_for_one                         |
 * | intensity | no        | 1              | restarts allowed within `period`...        |
 * | period    | no        | 5000           | ...milliseconds; more and the supervisor   |
 * |           |           |                | shuts its children down and exits          |
 * |           |           |                | with reason `shutdown`                     |
 * | autoShutdown | no    | 'never'        | any_significant, all_significant: shut    |
 * |           |           |                | down (reason shutdown) when any, or the    |
 * |           |           |                | last, significant child ends by itself     |
 * |           |           |                | and is not restarted                       |
 *
 * Child spec:
 *
 * | key      | mandatory | default                         | meaning                       |
 * | -------- | --------- | ------------------------------- | ----------------------------- |
 * | id       | yes       |                                 | unique name in the supervisor |
 * | start    | yes       |                                 | `(...extra) => { ok: pid,     |
 * |          |           |                                 | info? } | { error } |         |
 * |          |           |                                 | { ignore }`; must link the    |
 * |          |           |                                 | child (startLink); anything   |
 * |          |           |                                 | else returned is the error    |
 * | restart  | no        | 'permanent'                     | permanent, transient, temporary |
 * | shutdown | no        | 5000 (worker), 'infinity' (sup) | ms, 'brutal_kill', 'infinity' |
 * | type     | no        | 'worker'                        | worker or supervisor          |
 * | significant | no     | false                           | see autoShutdown; transient   |
 * |          |           |                                 | or temporary children only    |
 *
 * The init function may return `{ ignore: true }` instead: start gives
 * `{ ignore: true }`. A child whose start returns ignore is not running:
 * startChild and restartChild give `{ ok: null }` (OTP's {ok, undefined}),
 * whichChildren its pid as null; its spec stays unless it is temporary. A bad flag or spec fails the start with an Error
 * naming it in OTP's terms (`{ start_spec: { invalid_shutdown: -1 } }`).
 *
 * The supervisor traps exits; children start in order and stop in reverse;
 * whichChildren lists them newest first, as OTP does.
 * A child start that fails during init makes the supervisor fail to start;
 * the children already started are stopped first, in reverse order, with
 * their shutdown specs (supervisor_shutdown.ts).
 */
import { Pid, Ref } from '../term.ts';
import { trapExit, isAlive, self } from '../process_api.ts';
import type { ExitMessage } from '../signals.ts';
import { monotonicTime } from '../system.ts';
import { GenServer, stopAfter, type ServerModule, type ServerRef, type StartOptions, type StartResult } from './gen_server.ts';
import { checkSpec, checkSpecs, checkFlags, checkAutoShutdown, badText, startOne, type ChildSpec, type FullSpec, type Strategy, type Restart, type AutoShutdown } from './supervisor_spec.ts';
import { briefReason } from './report.ts';
import { shutdownChild, shutdownInInit, shutdownAll, type Child } from './supervisor_shutdown.ts';
import * as logger from '../logger.ts';
import type { Reason } from '../reasons.ts';

export type { Strategy, Restart, Shutdown, SupFlags, ChildSpec, ChildStart, AutoShutdown } from './supervisor_spec.ts';

export interface SupSpec {
  flags?: import('./supervisor_spec.ts').SupFlags;
  children: ChildSpec[];
}


interface State {
  strategy: Strategy;
  intensity: number;
  period: number;
  autoShutdown: AutoShutdown;
  /** In start order (OTP lists them newest first: see which). */
  children: Child[];
  /** Times of recent restarts, oldest first, from index `restartsFrom`. */
  restarts: number[];
  restartsFrom: number;
  template: FullSpec | null;
}

// A child spec's start function is code, and code cannot travel in a
// message (only data is copied). Code is shared by every process anyway, as
// BEAM shares modules: startChild leaves the spec here under a fresh Ref and
// sends the Ref; the supervisor reads the spec while the caller waits.
// getChildSpec hands a start function back the same way, into a slot the
// caller left and holds: the supervisor takes the slot out of the table as
// it fills it, so a caller killed with its reply queued leaves nothing
// behind (the start and what it holds go with the caller's frame). Both
// tables are weak, by the Ref itself (a message carries the Ref, not a
// copy): a caller killed while its call is still queued, whose supervisor
// then dies without reading it, runs neither the take nor the finally, and
// the entry goes once neither holds the Ref.
const handedSpecs = new WeakMap<Ref, unknown>();
const handedStarts = new WeakMap<Ref, { start: ChildSpec['start'] | null }>();

function restartWanted(c: Child, reason: Reason): boolean {
  if (c.spec.restart === 'permanent') return true;
  if (c.spec.restart === 'temporary') return false;
  return !(reason === 'normal' || reason === 'shutdown' || (reason !== null && typeof reason === 'object' && 'shutdown' in (reason as object)));
}

/** Records a restart; false if that passes the intensity. */
function addRestart(s: State): boolean {
  const now = monotonicTime();
  const times = s.restarts;
  times.push(now);
  // The clock is monotonic, so the restarts older than the period are a
  // prefix: skip it, and drop it once it is half the array (amortized O(1)
  // where filtering cost O(restarts in the period) per restart).
  while (s.restartsFrom < times.length && times[s.restartsFrom] < now - s.period) s.restartsFrom++;
  if (s.restartsFrom * 2 > times.length) {
    times.splice(0, s.restartsFrom);
    s.restartsFrom = 0;
  }
  return times.length - s.restartsFrom <= s.intensity;
}

async function restart(s: State, failed: Child): Promise<State | { stop: Reason; state: State }> {
  const i = s.children.indexOf(failed);
  let group: Child[];
  if (s.strategy === 'one_for_all') group = s.children.slice();
  else if (s.strategy === 'rest_for_one') group = s.children.slice(i);
  else group = [failed];
  await shutdownAll(group.filter((c) => c !== failed));
  // As OTP: temporary siblings stopped here are not restarted but removed;
  // transient ones are restarted (the supervisor, not they, ended them).
  const dropped = group.filter((c) => c !== failed && c.spec.restart === 'temporary');
  if (dropped.length > 0) {
    s.children = s.children.filter((c) => !dropped.includes(c));
    group = group.filter((c) => !dropped.includes(c));
  }
  // Start the group in order. As OTP: if one fails, that is a restart
  // more; one_for_all then stops those it just started and starts the
  // whole group again, the others go on from the child that failed.
  for (;;) {
    let failedAt = -1;
    for (let k = 0; k < group.length; k++) {
      const c = group[k];
      const r = startOne(c.spec, c.extra);
      if (r.error !== undefined) {
        logger.error(`supervisor ${self()}: child ${c.spec.id} failed to restart: ${briefReason(r.error)}`);
        failedAt = k;
        break;
      }
      c.pid = r.pid;
      if (!r.pid && s.strategy === 'simple_one_for_one') s.children.splice(s.children.indexOf(c), 1);
    }
    if (failedAt < 0) return s;
    if (!addRestart(s)) return { stop: 'shutdown', state: s };
    if (s.strategy === 'one_for_all') await shutdownAll(group.slice(0, failedAt));
    else group = group.slice(failedAt);
  }
}

/** A child as whichChildren lists it: id null under simple_one_for_one (OTP's undefined). */
type Which = { id: string | null; pid: Pid | null; type: 'worker' | 'supervisor'; restart: Restart };
type Counts = { specs: number; active: number; supervisors: number; workers: number };

function fail(reason: Reason): never {
  throw new TypeError(`Supervisor: ${badText(reason)}`);
}

function counts(s: State): Counts {
  const active = s.children.filter((c) => c.pid).length;
  if (s.template) {
    // As OTP: one spec; supervisors and workers count the running children.
    const sup = s.template.type === 'supervisor';
    return { specs: 1, active, supervisors: sup ? active : 0, workers: sup ? 0 : active };
  }
  const supervisors = s.children.filter((c) => c.spec.type === 'supervisor').length;
  return { specs: s.children.length, active, supervisors, workers: s.children.length - supervisors };
}

/** A start's reply: `{ ok: pid }` (and `info` if the start gave one); a
 *  start that returned ignore gives `{ ok: null }`, OTP's {ok, undefined}
 *  (null is the pid whichChildren shows for a child not running). */
function started(pid: Pid | null, info: unknown, hasInfo: boolean): StartChildResult {
  if (!pid) return { ok: null };
  return hasInfo ? { ok: pid, info } : { ok: pid };
}

/** The child named by `arg`: an id, or for simple_one_for_one a pid. */
function findChild(s: State, arg: unknown): Child | undefined {
  return s.children.find((x) => (s.template ? x.pid !== null && x.pid === arg : x.spec.id === arg));
}

const supervisorModule: ServerModule<State, () => SupSpec | { ignore: true }> = {
  init(initFn) {
    trapExit(true);
    const spec = initFn();
    if (spec && typeof spec === 'object' && 'ignore' in spec) return { ignore: true };
    if (!spec || typeof spec !== 'object' || !Array.isArray(spec.children)) throw new TypeError('Supervisor: init must return { flags?, children: [...] } or { ignore: true }');
    const f = checkFlags(spec.flags);
    if ('bad' in f) fail({ supervisor_data: f.bad });
    const specs = checkSpecs(spec.children, f.autoShutdown);
    if ('bad' in specs) fail({ start_spec: specs.bad });
    const s: State = { ...f, children: [], restarts: [], restartsFrom: 0, template: null };
    if (f.strategy === 'simple_one_for_one') {
      if (specs.length !== 1) fail({ bad_start_spec: `simple_one_for_one needs exactly one child spec, got ${specs.length}` });
      s.template = specs[0];
      return { ok: s };
    }
    for (const c of specs) {
      const r = startOne(c, []);
      if (r.error !== undefined) {
        const reason = { shutdown: { failed_to_start_child: c.id, reason: r.error } };
        const rest = shutdownInInit(s.children);
        return rest ? stopAfter(reason, rest) : { stop: reason };
      }
      // As OTP: a temporary child that returns ignore leaves no spec.
      if (r.pid || c.restart !== 'temporary') s.children.push({ spec: c, pid: r.pid, extra: [] });
    }
    return { ok: s };
  },

  async handleInfo(msg, s) {
    if (!msg || msg.type !== 'EXIT') return { state: s };
    const m = msg as ExitMessage;
    const c = s.children.find((x) => x.pid === m.from);
    if (!c) return { state: s };
    c.pid = null;
    if (!restartWanted(c, m.reason)) {
      if (c.spec.restart === 'temporary' || s.strategy === 'simple_one_for_one') s.children.splice(s.children.indexOf(c), 1);
      // A significant child that ended by itself, not to be restarted.
      if (c.spec.significant && (s.autoShutdown === 'any_significant' || !s.children.some((x) => x.spec.significant && x.pid))) {
        return { stop: 'shutdown', state: s };
      }
      return { state: s };
    }
    logger.error(`supervisor ${self()}: child ${c.spec.id} (${m.from}) exited: ${briefReason(m.reason)}; restarting`);
    if (!addRestart(s)) {
      logger.error(`supervisor ${self()}: reached max restart intensity (${s.intensity} in ${s.period} ms); shutting down`);
      return { stop: 'shutdown', state: s };
    }
    const r = await restart(s, c);
    return 'stop' in r ? r : { state: r };
  },

  async handleCall(req, _from, s) {
    const byId = typeof req.arg === 'string' || !(req.arg instanceof Pid);
    // As OTP: a simple_one_for_one supervisor's children have no ids.
    if (s.template && ['restart', 'delete'].includes(req.op)) return { reply: { error: 'simple_one_for_one' }, state: s };
    if (s.template && req.op === 'terminate' && byId) return { reply: { error: 'simple_one_for_one' }, state: s };
    switch (req.op) {
      case 'which':
        return { reply: s.children.map((c): Which => ({ id: s.template ? null : c.spec.id, pid: c.pid, type: c.spec.type, restart: c.spec.restart })).reverse(), state: s };
      case 'count':
        return { reply: counts(s), state: s };
      case 'spec': {
        const c = s.template ? (req.arg instanceof Pid ? findChild(s, req.arg) : undefined) : findChild(s, req.arg);
        const found = c ? c.spec : undefined;
        if (!found) return { reply: { error: 'not_found' }, state: s };
        const slot = handedStarts.get(req.key as Ref);
        handedStarts.delete(req.key as Ref);
        if (slot) slot.start = found.start;
        const { start: _start, ...data } = found;
        return { reply: { ok: data }, state: s };
      }
      case 'start': {
        let spec: FullSpec;
        let extra: unknown[] = [];
        if (s.template) {
          spec = s.template;
          extra = req.arg ?? [];
        } else {
          if (!(req.spec instanceof Ref)) return { reply: { error: 'a child spec is needed (this supervisor is not simple_one_for_one)' }, state: s };
          // Taken as it is read: a caller killed while it waits never
          // runs its finally, and the spec would stay for good.
          const handed = handedSpecs.get(req.spec);
          handedSpecs.delete(req.spec);
          const checked = checkSpec(handed);
          if ('bad' in checked) return { reply: { error: checked.bad }, state: s };
          const combo = checkAutoShutdown(checked, s.autoShutdown);
          if (combo) return { reply: { error: combo }, state: s };
          spec = checked;
          const old = s.children.find((c) => c.spec.id === spec.id);
          if (old) return { reply: { error: old.pid ? { already_started: old.pid } : 'already_present' }, state: s };
        }
        const r = startOne(spec, extra);
        if (r.error !== undefined) return { reply: { error: r.error }, state: s };
        // As OTP: ignore keeps the spec of a non-temporary child (not of a
        // temporary one, nor under simple_one_for_one).
        if (r.pid || (!s.template && spec.restart !== 'temporary')) s.children.push({ spec, pid: r.pid, extra: spec.restart === 'temporary' ? [] : extra });
        return { reply: started(r.pid, r.info, 'info' in r), state: s };
      }
      case 'terminate': {
        const c = findChild(s, req.arg);
        if (!c) {
          // As OTP: the pid of a simple_one_for_one child already gone is ok.
          if (s.template && req.arg instanceof Pid && !isAlive(req.arg)) return { reply: 'ok', state: s };
          return { reply: { error: 'not_found' }, state: s };
        }
        await shutdownChild(c);
        if (s.template || c.spec.restart === 'temporary') s.children.splice(s.children.indexOf(c), 1);
        return { reply: 'ok', state: s };
      }
      case 'restart': {
        const c = findChild(s, req.arg);
        if (!c) return { reply: { error: 'not_found' }, state: s };
        if (c.pid) return { reply: { error: 'running' }, state: s };
        const r = startOne(c.spec, c.extra);
        if (r.error !== undefined) return { reply: { error: r.error }, state: s };
        c.pid = r.pid;
        return { reply: started(r.pid, r.info, 'info' in r), state: s };
      }
      case 'delete': {
        const c = findChild(s, req.arg);
        if (!c) return { reply: { error: 'not_found' }, state: s };
        if (c.pid) return { reply: { error: 'running' }, state: s };
        s.children.splice(s.children.indexOf(c), 1);
        return { reply: 'ok', state: s };
      }
    }
    return { reply: { error: 'unknown request' }, state: s };
  },

  terminate(_reason, s) {
    return shutdownAll(s.children);
  },
};

/** startChild's and restartChild's result: `ok` is null if the start
 *  returned ignore (OTP's {ok, undefined}). */
export type StartChildResult = { ok: Pid | null; info?: unknown } | { error: Reason };

export const Supervisor = {
  start(init: () => SupSpec | { ignore: true }, opts?: StartOptions): StartResult {
    return GenServer.start(supervisorModule, init, opts);
  },
  startLink(init: () => SupSpec | { ignore: true }, opts?: StartOptions): StartResult {
    return GenServer.startLink(supervisorModule, init, opts);
  },
  /** A spec (one_for_one...) or the extra start arguments (simple_one_for_one).
   *  A bad spec gives `{ error }` (`{ invalid_restart_type: ... }`...), as in OTP. */
  async startChild(sup: ServerRef, arg: ChildSpec | unknown[]): Promise<StartChildResult> {
    if (Array.isArray(arg)) return GenServer.call(sup, { op: 'start', arg }, Infinity);
    const key = new Ref();
    handedSpecs.set(key, arg);
    try {
      return await GenServer.call(sup, { op: 'start', spec: key }, Infinity);
    } finally {
      handedSpecs.delete(key);
    }
  },
  /** By id, or by pid for simple_one_for_one. */
  terminateChild(sup: ServerRef, idOrPid: string | Pid): Promise<'ok' | { error: Reason }> {
    return GenServer.call(sup, { op: 'terminate', arg: idOrPid }, Infinity);
  },
  restartChild(sup: ServerRef, id: string): Promise<StartChildResult> {
    return GenServer.call(sup, { op: 'restart', arg: id }, Infinity);
  },
  deleteChild(sup: ServerRef, id: string): Promise<'ok' | { error: Reason }> {
    return GenServer.call(sup, { op: 'delete', arg: id }, Infinity);
  },
  /** Newest first, as OTP lists them. */
  whichChildren(sup: ServerRef): Promise<Which[]> {
    return GenServer.call(sup, { op: 'which' }, Infinity);
  },
  /** specs (1 for simple_one_for_one), active (running), and specs by type
   *  (for simple_one_for_one, running children by type). */
  countChildren(sup: ServerRef): Promise<Counts> {
    return GenServer.call(sup, { op: 'count' }, Infinity);
  },
  /** The child's spec with its defaults, by id (by pid for simple_one_for_one). */
  async getChildSpec(sup: ServerRef, idOrPid: string | Pid): Promise<{ ok: FullSpec } | { error: 'not_found' }> {
    const key = new Ref();
    const slot: { start: ChildSpec['start'] | null } = { start: null };
    handedStarts.set(key, slot);
    try {
      const r = await GenServer.call(sup, { op: 'spec', arg: idOrPid, key }, Infinity);
      if (!('ok' in r)) return r;
      return { ok: { ...r.ok, start: slot.start! } };
    } finally {
      handedStarts.delete(key);
    }
  },
  /** 'ok' if every spec is good and their ids distinct; else the first error. */
  checkChildSpecs(specs: ChildSpec[], autoShutdown?: AutoShutdown): 'ok' | { error: Reason } {
    const r = checkSpecs(specs, autoShutdown);
    return 'bad' in r ? { error: r.bad } : 'ok';
  },
  stop(sup: ServerRef, reason: Reason = 'normal'): Promise<void> {
    return GenServer.stop(sup, reason);
  },
};
