/**
 * application: named units that start and stop a top supervisor.
 *
 * `start(name, { start })` starts an application master (a gen_server that
 * traps exits), which calls `start()` so the top supervisor links to the
 * master, not to the caller. If the top supervisor dies (it reached its
 * restart intensity, or exited), a permanent application (the default, as
 * a release boots its applications) stops the node with `Exit.AppFailed`
 * and one line naming it; a temporary one logs it and its master exits
 * with the reason, the node going on. `stop(name)` shuts the tree down
 * (reason `shutdown`) and waits until it is gone.
 */
import { Pid } from '../term.ts';
import { GenServer, type ServerModule, type StartResult } from './gen_server.ts';
import { trapExit, monitor, exit, receive } from '../process_api.ts';
import type { ExitMessage } from '../signals.ts';
import type { Reason } from '../reasons.ts';
import * as logger from '../logger.ts';
import { briefReason } from './report.ts';
import { stopNode } from './internal.ts';
import { Exit } from '../platform.ts';

export interface AppSpec {
  /** Starts the top supervisor with startLink. */
  start(): StartResult;
  /** Default 'permanent': the application failing stops the node. */
  type?: 'permanent' | 'temporary';
}

const running = new Map<string, Pid>();

const master: ServerModule<{ name: string; top: Pid; permanent: boolean }, { name: string; spec: AppSpec }> = {
  init({ name, spec }) {
    trapExit(true);
    const r = spec.start();
    if ('ok' in r) return { ok: { name, top: r.ok, permanent: spec.type !== 'temporary' } };
    return { stop: 'error' in r ? r.error : 'ignore' };
  },
  handleInfo(msg, s) {
    if (msg && msg.type === 'EXIT' && (msg as ExitMessage).from === s.top) {
      const reason = (msg as ExitMessage).reason;
      const text = briefReason(reason);
      running.delete(s.name);
      if (s.permanent) {
        logger.error(`application ${s.name} failed: its top supervisor exited (${text}); the node stops with status ${Exit.AppFailed}`);
        stopNode(Exit.AppFailed);
      }
      logger.notice(`application ${s.name} exited: ${text}`);
      return { stop: reason === 'shutdown' ? 'normal' : reason, state: s };
    }
    return { state: s };
  },
  async terminate(_reason, s) {
    const ref = monitor(s.top);
    exit(s.top, 'shutdown');
    await receive({ type: 'DOWN', ref });
  },
};

export function start(name: string, spec: AppSpec): { ok: Pid } | { error: Reason } {
  if (typeof name !== 'string' || name === '') throw new TypeError('application.start: name must be a non-empty string');
  if (!spec || typeof spec.start !== 'function') throw new TypeError('application.start: spec.start must be a function');
  if (spec.type !== undefined && spec.type !== 'permanent' && spec.type !== 'temporary') throw new TypeError(`application.start: type must be 'permanent' or 'temporary', got ${String(spec.type)}`);
  if (running.has(name)) return { error: { already_started: name } };
  const r = GenServer.start(master, { name, spec });
  if (!('ok' in r)) return { error: 'error' in r ? r.error : 'ignore' };
  running.set(name, r.ok);
  logger.info(`application ${name} started`);
  return { ok: r.ok };
}

export async function stop(name: string): Promise<void> {
  const m = running.get(name);
  if (!m) throw new Error(`application.stop: ${name} is not running`);
  running.delete(name);
  await GenServer.stop(m, 'normal');
  logger.info(`application ${name} stopped`);
}

export function whichApplications(): string[] {
  return [...running.keys()];
}
