/**
 * How a supervisor stops its children, as OTP does: monitor, unlink,
 * `shutdown` (or `kill` for brutal_kill), wait the child's shutdown time,
 * then `kill`; in reverse start order. Also the part of it a failed init
 * can do at once (shutdownInInit).
 */
import { Pid, Ref } from '../term.ts';
import { exit, monitor, demonitor, unlink, receive, isAlive, TIMEOUT } from '../process_api.ts';
import type { FullSpec, Shutdown } from './supervisor_spec.ts';

export interface Child {
  spec: FullSpec;
  pid: Pid | null;
  extra: unknown[];
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

export async function shutdownChild(child: Child): Promise<void> {
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
export function shutdownInInit(children: Child[]): (() => Promise<void>) | null {
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

export async function shutdownAll(children: Child[]): Promise<void> {
  for (let i = children.length - 1; i >= 0; i--) await shutdownChild(children[i]);
}

