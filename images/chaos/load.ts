// The load generator: clients that call the service back to back, never
// pausing while a server answers, each on keys of its own (so each key has one writer and a last
// acknowledged version). A put writes version n+1 of its key, whether the
// put before it was answered or not; a get checks that the table never
// gives back a version older than the last acknowledged one.
import { GenServer, ProcessExit, TIMEOUT, receive, send, type Pid } from 'mote';
import { ownerOf, type Value } from './kv.ts';
import { rng } from '../aco/rng.ts'; // one seeded PRNG for both images

export interface ClientStats {
  /** Calls made. */
  sent: number;
  answered: number;
  /** No server was registered under the name (it was restarting). */
  refused: number;
  /** Gets answered with an older version than the last acknowledged. */
  stale: number;
  puts: number;
  /** Key -> last acknowledged version. */
  acked: Record<string, number>;
}

export const clientKey = (c: number, k: number) => `c${c}:k${k}`;

const STOP = { type: 'stop_load' };

export async function client(c: number, keys: number, workers: number, seed: number, report: Pid): Promise<void> {
  const rand = rng(seed);
  const written = new Array<number>(keys).fill(0);
  const acked: Record<string, number> = {};
  const s: Omit<ClientStats, 'acked'> = { sent: 0, answered: 0, refused: 0, stale: 0, puts: 0 };
  for (;;) {
    // A poll: the stop request, if it came. It costs a reduction, so the
    // loop still yields when its slice is spent.
    if ((await receive(STOP, { after: 0 })) !== TIMEOUT) break;
    const k = Math.floor(rand() * keys);
    const key = clientKey(c, k);
    const put = rand() < 0.5;
    const req = put ? { op: 'put', key, value: { v: ++written[k] } } : { op: 'get', key };
    s.sent++;
    if (put) s.puts++;
    try {
      const r = await GenServer.call<'ok' | Value | null>(ownerOf(key, workers), req);
      s.answered++;
      if (put) acked[key] = written[k];
      else if ((acked[key] ?? 0) > ((r as Value | null)?.v ?? 0)) s.stale++;
    } catch (e) {
      if (!(e instanceof ProcessExit)) throw e;
      const reason = e.reason as { exit?: unknown };
      if (reason && reason.exit === 'noproc') {
        // No server under the name: it is being restarted. Wait a
        // millisecond (or for the stop) before the next call. A refused
        // call blocks nowhere and costs next to no reductions, so a client
        // that went straight on spun through its whole slice, and the
        // restart waited behind every such client at each of its steps
        // (under TCG restores took up to a second, and the monkey found
        // nothing it could kill at a third of its ticks).
        s.refused++;
        if ((await receive(STOP, { after: 1 })) !== TIMEOUT) break;
      }
    }
  }
  send(report, { type: 'client_stats', client: c, stats: { ...s, acked } });
}

export const stopLoad = (pid: Pid) => send(pid, STOP);
