/**
 * The supervisor's child specs and flags: checking them, and running a
 * child's start function. A bad spec is data, as in OTP: checkSpec returns
 * the reason (`{ invalid_restart_type: 'prmanent' }`...) that startChild and
 * checkChildSpecs give back as `{ error }`; only a supervisor's own init
 * turns one into an Error, with a one-line message naming the child.
 */
import { Pid } from '../term.ts';
import { ProcessExit } from '../signals.ts';
import type { StartResult } from './gen_server.ts';
import type { Reason } from '../reasons.ts';

export type Strategy = 'one_for_one' | 'one_for_all' | 'rest_for_one' | 'simple_one_for_one';
export type Restart = 'permanent' | 'transient' | 'temporary';
export type Shutdown = number | 'brutal_kill' | 'infinity';

export type AutoShutdown = 'never' | 'any_significant' | 'all_significant';

export interface SupFlags {
  strategy?: Strategy;
  intensity?: number;
  period?: number;
  /** Shut the supervisor down (reason shutdown) when any, or the last, of
   *  its significant children ends by itself and is not restarted. */
  autoShutdown?: AutoShutdown;
}

/** What a child's start returns: a pid, `{ ok: pid }` (with `info`, handed
 *  back by startChild and restartChild), `{ ignore: true }` or `{ error }`. */
export type ChildStart = StartResult | { ok: Pid; info: unknown } | Pid;

export interface ChildSpec {
  id: string;
  start: (...extra: any[]) => ChildStart;
  restart?: Restart;
  shutdown?: Shutdown;
  type?: 'worker' | 'supervisor';
  /** Its own end may shut the supervisor down (see autoShutdown); only
   *  for transient and temporary children. Default false. */
  significant?: boolean;
}

export type FullSpec = Required<ChildSpec>;

const STRATEGIES: readonly string[] = ['one_for_one', 'one_for_all', 'rest_for_one', 'simple_one_for_one'];

/** The spec with its defaults, or the reason it is not one (OTP's terms). */
export function checkSpec(c: unknown): FullSpec | { bad: Reason } {
  if (!c || typeof c !== 'object' || Array.isArray(c)) return { bad: { invalid_child_spec: show(c) } };
  const s = c as ChildSpec;
  if (s.id === undefined) return { bad: 'missing_id' };
  if (typeof s.id !== 'string' || s.id === '') return { bad: { invalid_child_id: show(s.id) } };
  if (s.start === undefined) return { bad: 'missing_start' };
  if (typeof s.start !== 'function') return { bad: { invalid_mfa: show(s.start) } };
  const restart = s.restart ?? 'permanent';
  if (!['permanent', 'transient', 'temporary'].includes(restart)) return { bad: { invalid_restart_type: show(restart) } };
  const type = s.type ?? 'worker';
  if (type !== 'worker' && type !== 'supervisor') return { bad: { invalid_child_type: show(type) } };
  const shutdown = s.shutdown ?? (type === 'supervisor' ? 'infinity' : 5000);
  if (!(shutdown === 'brutal_kill' || shutdown === 'infinity' || (typeof shutdown === 'number' && Number.isInteger(shutdown) && shutdown >= 0))) {
    return { bad: { invalid_shutdown: show(shutdown) } };
  }
  const significant = s.significant ?? false;
  if (typeof significant !== 'boolean') return { bad: { invalid_significant: show(significant) } };
  if (significant && restart === 'permanent') return { bad: { bad_combination: { restart, significant } } };
  return { id: s.id, start: s.start, restart, shutdown, type, significant };
}

/** A significant child needs a supervisor that shuts down automatically. */
export function checkAutoShutdown(spec: FullSpec, auto: AutoShutdown | undefined): Reason | null {
  return spec.significant && auto === 'never' ? { bad_combination: { auto_shutdown: auto, significant: true } } : null;
}

/** A list of specs, checked as one: 'ok' or the first reason. */
export function checkSpecs(specs: unknown, auto?: AutoShutdown): FullSpec[] | { bad: Reason } {
  if (!Array.isArray(specs)) return { bad: { badarg: show(specs) } };
  const out: FullSpec[] = [];
  const ids = new Set<string>();
  for (const c of specs) {
    const r = checkSpec(c);
    if ('bad' in r) return r;
    const combo = checkAutoShutdown(r, auto);
    if (combo) return { bad: combo };
    if (ids.has(r.id)) return { bad: { duplicate_child_name: r.id } };
    ids.add(r.id);
    out.push(r);
  }
  return out;
}

export interface Flags {
  strategy: Strategy;
  intensity: number;
  period: number;
  autoShutdown: AutoShutdown;
}

export function checkFlags(f: unknown): Flags | { bad: Reason } {
  if (f === undefined) f = {};
  if (!f || typeof f !== 'object') return { bad: { invalid_type: show(f) } };
  const { strategy = 'one_for_one', intensity = 1, period = 5000, autoShutdown = 'never' } = f as SupFlags;
  if (!STRATEGIES.includes(strategy)) return { bad: { invalid_strategy: show(strategy) } };
  if (!Number.isInteger(intensity) || intensity < 0) return { bad: { invalid_intensity: show(intensity) } };
  if (typeof period !== 'number' || !Number.isFinite(period) || !(period > 0)) return { bad: { invalid_period: show(period) } };
  if (!['never', 'any_significant', 'all_significant'].includes(autoShutdown)) return { bad: { invalid_auto_shutdown: show(autoShutdown) } };
  // As OTP 27: simple_one_for_one children cannot shut their supervisor down.
  if (strategy === 'simple_one_for_one' && autoShutdown !== 'never') return { bad: { bad_combination: { strategy, auto_shutdown: autoShutdown } } };
  return { strategy, intensity, period, autoShutdown };
}

/** A reason as text for an Error message. */
export function badText(r: Reason): string {
  return typeof r === 'string' ? r : JSON.stringify(r);
}

/** A value as it can travel in a reply (functions and symbols as text). */
function show(v: unknown): unknown {
  return typeof v === 'function' || typeof v === 'symbol' ? String(v) : v;
}

export interface Started {
  pid: Pid | null;
  info?: unknown;
  error?: Reason;
}

/** Runs a start function: a pid (null for ignore), or the error. Anything
 *  else it returns is the error itself, as OTP's `{error, What}`. */
export function startOne(spec: FullSpec, extra: unknown[]): Started {
  let r: unknown;
  try {
    r = spec.start(...extra);
  } catch (e) {
    return { pid: null, error: e instanceof ProcessExit ? e.reason : String(e) };
  }
  if (r instanceof Pid) return { pid: r };
  if (r && typeof r === 'object') {
    if ('ok' in r && r.ok instanceof Pid) return 'info' in r ? { pid: r.ok, info: show(r.info) } : { pid: r.ok };
    if ('ignore' in r && Object.keys(r).length === 1) return { pid: null };
    if ('error' in r) return { pid: null, error: show((r as { error: unknown }).error) as Reason };
  }
  return { pid: null, error: show(r) as Reason };
}
