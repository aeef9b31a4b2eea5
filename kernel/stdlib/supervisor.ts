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
 *
 * Child spec:
 *
 * | key      | mandatory | default                         | meaning                       |
 * | -------- | --------- | ------------------------------- | ----------------------------- |
 * | id       | yes       |                                 | unique name in the supervisor |
 * | start    | yes       |                                 | `(...extra) => { ok: pid }    |
 * |          |           |                                 | | { error } | { ignore }`;    |
 * |          |           |                                 | must link the child (startLink) |
 * | restart  | no        | 'permanent'                     | permanent, transient, temporary |
 * | shutdown | no        | 5000 (worker), 'infinity' (sup) | ms, 'brutal_kill', 'infinity' |
 * | type     | no        | 'worker'                        | worker or supervisor          |
 *
 * The supervisor traps exits; children start in order and stop in reverse.
 * A child start that fails during init makes the supervisor fail to start;
 * the children already started are stopped first, in reverse order, with
 * their shutdown specs (see shutdownInInit).
 */
import { Pid, Ref } from '../term.ts';
import { exit, trapExit, monitor, demonitor, unlink, receive, isAlive, TIMEOUT, self } from '../processes.ts';
import { ProcessExit, type ExitMessage } from '../signals.ts';
import { platform } from '../platform.ts';
import { GenServer, stopAfter, type ServerModule, type ServerRef, type StartOptions, type StartResult } from './gen_server.ts';
import * as logger from '../logger.ts';
import type { Reason } from '../process.ts';

export type Strategy = 'one_for_one' | 'one_for_all' | 'rest_for_one' | 'simple_one_for_one';
export type Restart = 'permanent' | 'transient' | 'temporary';
export type Shutdown = number | 'brutal_kill' | 'infinity';

export interface SupFlags {
  strategy?: Strategy;
  intensity?: number;
  period?: number;
}

export interface ChildSpec {
  id: string;
  start: (...extra: any[]) => StartResult;
  restart?: Restart;
  shutdown?: Shutdown;
  type?: 'worker' | 'supervisor';
}

export interface SupSpec {
  flags?: SupFlags;
  children: ChildSpec[];
}

interface Child {
  spec: Required<ChildSpec>;
  pid: Pid | null;
  extra: unknown[];
}

interface State {
  strategy: Strategy;
  intensity: number;
  period: number;
  children: Child[];
  /** Times of recent restarts, oldest first, from index `restartsFrom`. */
  restarts: number[];
  restartsFrom: number;
  template: Required<ChildSpec> | null;
}

// A child spec's start function is code, and code cannot travel in a
// message (only data is copied). Code is shared by every process anyway, as
// BEAM shares modules: startChild leaves the spec here under a fresh Ref and
// sends the Ref; the supervisor reads the spec while the caller waits.
const handedSpecs = new Map<number, ChildSpec>();

function checkSpec(c: ChildSpec): Required<ChildSpec> {
  if (!c || typeof c !== 'object') throw new TypeError('Supervisor: a child spec must be an object');
  if (typeof c.id !== 'string' || c.id === '') throw new TypeError('Supervisor: child spec id must be a non-empty string');
  if (typeof c.start !== 'function') throw new TypeError(`Supervisor: child ${c.id}: start must be a function`);
  const restart = c.restart ?? 'permanent';
  if (!['permanent', 'transient', 'temporary'].includes(restart)) throw new TypeError(`Supervisor: child ${c.id}: bad restart ${JSON.stringify(restart)}`);
  const type = c.type ?? 'worker';
  const shutdown = c.shutdown ?? (type === 'supervisor' ? 'infinity' : 5000);
  if (!(shutdown === 'brutal_kill' || shutdown === 'infinity' || (typeof shutdown === 'number' && shutdown >= 0))) {
    throw new TypeError(`Supervisor: child ${c.id}: bad shutdown ${JSON.stringify(shutdown)}`);
  }
  return { id: c.id, start: c.start, restart, shutdown, type };
}

function startOne(spec: Required<ChildSpec>, extra: unknown[]): { pid: Pid | null; error?: Reason } {
  let r: StartResult;
  try {
    r = spec.start(...extra);
  } catch (e) {
    return { pid: null, error: e instanceof ProcessExit ? e.reason : String(e) };
  }
  if (r instanceof Pid) return { pid: r };
  if (r && 'ok' in r && r.ok instanceof Pid) return { pid: r.ok };
  if (r && 'ignore' in r) return { pid: null };
  return { pid: null, error: r && 'error' in r ? r.error : { bad_return: String(r) } };
}

interface Stopping {
  pid: Pid;
  ref: Ref;
  shutdown: Shutdown;
}

/** Stops one child as OTP does: monitor, unlink, `shutdown` (or `kill`)... */
function signalChild(child: Child): Stopping | null {
  const pid = child.pid;
  child.pid = null;
  if (!pid) return null;
  const ref = monitor(pid);
  unlink(pid);
  const sd = child.spec.shutdown;
  exit(pid, sd === 'brutal_kill' ? 'kill' : 'shutdown');
  return { pid, ref, shutdown: sd };
}

/** ...wait, then `kill` after the timeout. */
async function awaitChild({ pid, ref, shutdown }: Stopping): Promise<void> {
  const down = { type: 'DOWN', ref };
  const m = await receive(down, { after: typeof shutdown === 'number' ? shutdown : Infinity });
  if (m === TIMEOUT) {
    exit(pid, 'kill');
    await receive(down);
  }
  await receive({ type: 'EXIT', from: pid }, { after: 0 }); // flush one sent before unlink
}

async function shutdownChild(child: Child): Promise<void> {
  const st = signalChild(child);
  if (st) await awaitChild(st);
}

/**
 * A child failed to start during init, which cannot wait: stops the started
 * children in reverse order for as long as each stop completes at once
 * (brutal_kill, or a child that does not trap exits); from the first child
 * still alive on, returns the rest of the work, which the failed supervisor
 * process does before it exits (see stopAfter), waiting and escalating to
 * `kill` as shutdownAll does. null if nothing is left.
 */
function shutdownInInit(children: Child[]): (() => Promise<void>) | null {
  for (let i = children.length - 1; i >= 0; i--) {
    const st = signalChild(children[i]);
    if (!st) continue;
    if (isAlive(st.pid)) {
      const rest = children.slice(0, i);
      return async () => {
        await awaitChild(st);
        await shutdownAll(rest);
      };
    }
    demonitor(st.ref, { flush: true });
  }
  return null;
}

async function shutdownAll(children: Child[]): Promise<void> {
  for (let i = children.length - 1; i >= 0; i--) await shutdownChild(children[i]);
}

function restartWanted(c: Child, reason: Reason): boolean {
  if (c.spec.restart === 'permanent') return true;
  if (c.spec.restart === 'temporary') return false;
  return !(reason === 'normal' || reason === 'shutdown' || (reason !== null && typeof reason === 'object' && 'shutdown' in (reason as object)));
}

/** Records a restart; false if that passes the intensity. */
function addRestart(s: State): boolean {
  const now = platform().monotonicMs();
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
  for (const c of group) {
    for (;;) {
      const r = startOne(c.spec, c.extra);
      if (r.error === undefined) {
        c.pid = r.pid;
        if (!r.pid && s.strategy === 'simple_one_for_one') s.children.splice(s.children.indexOf(c), 1);
        break;
      }
      logger.error(`supervisor ${self()}: child ${c.spec.id} failed to restart:`, r.error);
      if (!addRestart(s)) return { stop: 'shutdown', state: s };
    }
  }
  return s;
}

const supervisorModule: ServerModule<State, () => SupSpec> = {
  init(initFn) {
    trapExit(true);
    const spec = initFn();
    if (!spec || typeof spec !== 'object' || !Array.isArray(spec.children)) throw new TypeError('Supervisor: init must return { flags?, children: [...] }');
    const f = spec.flags ?? {};
    const strategy = f.strategy ?? 'one_for_one';
    if (!['one_for_one', 'one_for_all', 'rest_for_one', 'simple_one_for_one'].includes(strategy)) throw new TypeError(`Supervisor: unknown strategy ${JSON.stringify(strategy)}`);
    const intensity = f.intensity ?? 1;
    const period = f.period ?? 5000;
    if (!Number.isInteger(intensity) || intensity < 0) throw new TypeError('Supervisor: intensity must be an integer >= 0');
    if (!(period > 0)) throw new TypeError('Supervisor: period must be > 0 ms');
    const specs = spec.children.map(checkSpec);
    const ids = new Set<string>();
    for (const c of specs) {
      if (ids.has(c.id)) throw new TypeError(`Supervisor: duplicate child id ${c.id}`);
      ids.add(c.id);
    }
    const s: State = { strategy, intensity, period, children: [], restarts: [], restartsFrom: 0, template: null };
    if (strategy === 'simple_one_for_one') {
      if (specs.length !== 1) throw new TypeError('Supervisor: simple_one_for_one needs exactly one child spec');
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
      s.children.push({ spec: c, pid: r.pid, extra: [] });
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
      return { state: s };
    }
    logger.error(`supervisor ${self()}: child ${c.spec.id} exited:`, m.reason);
    if (!addRestart(s)) {
      logger.error(`supervisor ${self()}: reached max restart intensity (${s.intensity} in ${s.period} ms); shutting down`);
      return { stop: 'shutdown', state: s };
    }
    const r = await restart(s, c);
    return 'stop' in r ? r : { state: r };
  },

  async handleCall(req, _from, s) {
    switch (req.op) {
      case 'which':
        return { reply: s.children.map((c) => ({ id: c.spec.id, pid: c.pid, type: c.spec.type, restart: c.spec.restart })), state: s };
      case 'count':
        return { reply: { specs: s.children.length, active: s.children.filter((c) => c.pid).length }, state: s };
      case 'start': {
        let spec: Required<ChildSpec>;
        let extra: unknown[] = [];
        if (s.template) {
          spec = s.template;
          extra = req.arg ?? [];
        } else {
          const given = req.spec instanceof Ref ? handedSpecs.get(req.spec.id) : undefined;
          if (!given) return { reply: { error: 'a child spec is needed (this supervisor is not simple_one_for_one)' }, state: s };
          spec = checkSpec(given);
          if (s.children.some((c) => c.spec.id === spec.id)) return { reply: { error: 'already_present' }, state: s };
        }
        const r = startOne(spec, extra);
        if (r.error !== undefined) return { reply: { error: r.error }, state: s };
        if (r.pid || !s.template) s.children.push({ spec, pid: r.pid, extra });
        return { reply: r.pid ? { ok: r.pid } : { ignore: true }, state: s };
      }
      case 'terminate': {
        const c = s.children.find((x) => (s.template ? x.pid === req.arg : x.spec.id === req.arg));
        if (!c) return { reply: { error: 'not_found' }, state: s };
        await shutdownChild(c);
        if (s.template || c.spec.restart === 'temporary') s.children.splice(s.children.indexOf(c), 1);
        return { reply: 'ok', state: s };
      }
      case 'restart': {
        const c = s.children.find((x) => x.spec.id === req.arg);
        if (!c) return { reply: { error: 'not_found' }, state: s };
        if (c.pid) return { reply: { error: 'running' }, state: s };
        const r = startOne(c.spec, c.extra);
        if (r.error !== undefined) return { reply: { error: r.error }, state: s };
        c.pid = r.pid;
        return { reply: { ok: r.pid }, state: s };
      }
      case 'delete': {
        const c = s.children.find((x) => x.spec.id === req.arg);
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

export const Supervisor = {
  start(init: () => SupSpec, opts?: StartOptions): StartResult {
    return GenServer.start(supervisorModule, init, opts);
  },
  startLink(init: () => SupSpec, opts?: StartOptions): StartResult {
    return GenServer.startLink(supervisorModule, init, opts);
  },
  /** A spec (one_for_one...) or the extra start arguments (simple_one_for_one). */
  async startChild(sup: ServerRef, arg: ChildSpec | unknown[]): Promise<StartResult | { error: Reason }> {
    if (Array.isArray(arg)) return GenServer.call(sup, { op: 'start', arg }, Infinity);
    checkSpec(arg); // a bad spec is the caller's error, as in OTP; the supervisor runs on
    const key = new Ref();
    handedSpecs.set(key.id, arg);
    try {
      return await GenServer.call(sup, { op: 'start', spec: key }, Infinity);
    } finally {
      handedSpecs.delete(key.id);
    }
  },
  /** By id, or by pid for simple_one_for_one. */
  terminateChild(sup: ServerRef, idOrPid: string | Pid): Promise<'ok' | { error: Reason }> {
    return GenServer.call(sup, { op: 'terminate', arg: idOrPid }, Infinity);
  },
  restartChild(sup: ServerRef, id: string): Promise<{ ok: Pid } | { error: Reason }> {
    return GenServer.call(sup, { op: 'restart', arg: id }, Infinity);
  },
  deleteChild(sup: ServerRef, id: string): Promise<'ok' | { error: Reason }> {
    return GenServer.call(sup, { op: 'delete', arg: id }, Infinity);
  },
  whichChildren(sup: ServerRef): Promise<{ id: string; pid: Pid | null; type: string; restart: Restart }[]> {
    return GenServer.call(sup, { op: 'which' }, Infinity);
  },
  countChildren(sup: ServerRef): Promise<{ specs: number; active: number }> {
    return GenServer.call(sup, { op: 'count' }, Infinity);
  },
  stop(sup: ServerRef, reason: Reason = 'normal'): Promise<void> {
    return GenServer.stop(sup, reason);
  },
};
