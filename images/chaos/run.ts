// The run: start the tree, the clients and the monkey; after DURATION_MS
// stop the monkey, then the clients; check and report (report.ts).
import { ets, halt, logger, monitor, monotonicTime, receive, self, send, spawn, spawnMonitor, type DownMessage } from 'mote';
import { client, stopLoad, type ClientStats } from './load.ts';
import { monkey, stopMonkey, type MonkeyReport } from './monkey.ts';
import { FRONT_STATS, frontSpec } from './front.ts';
import { members, startTree } from './tree.ts';
import { mixSeed } from '../aco/rng.ts'; // one seeded PRNG for both images
import { report } from './report.ts';
import type { ChaosParams } from './params.ts';

async function chaos(p: ChaosParams): Promise<number> {
  const shape = { workers: p.workers, pools: p.pools, flags: { intensity: p.intensity, period: p.periodMs } };
  if (p.port) ets.newTable({ name: FRONT_STATS, type: 'set', access: 'public' });
  const tree = startTree(shape, p.port ? [frontSpec(p.port, p.workers)] : []);
  if (!('ok' in tree)) throw new Error(`chaos: the tree did not start: ${JSON.stringify(tree)}`);
  const rootRef = monitor(tree.ok);
  const me = self();
  console.log(`chaos: ${p.durationMs} ms, ${p.clients} clients flat out on ${p.clients * p.keys} keys${p.port ? `, TCP on port ${p.port}` : ''}, ${p.workers} workers in ${p.pools} pools; monkey at ${p.rate} kills/s over levels 1-3; restart intensity ${p.intensity} per ${p.periodMs} ms`);
  const level = logger.getLevel();
  logger.setLevel(p.log); // every kill would log its restart
  const t0 = monotonicTime();
  const clients = Array.from({ length: p.clients }, (_, c) => spawn(() => client(c, p.keys, p.workers, mixSeed(p.seed, c), me)));
  // High priority: woken by its timer, it runs next, not after every
  // client in the run queue (so its kills keep to the schedule).
  const mk = spawn(() => monkey(members(shape), p.rate, mixSeed(p.seed, 0xc4a05), me), { priority: 'high' });
  const early = await receive<DownMessage>({ type: 'DOWN', ref: rootRef }, { after: p.durationMs });
  stopMonkey(mk);
  const mr = (await receive<{ report: MonkeyReport }>({ type: 'monkey_report' })).report;
  for (const c of clients) stopLoad(c);
  const stats: ClientStats[] = [];
  for (let i = 0; i < p.clients; i++) stats.push((await receive<{ stats: ClientStats }>({ type: 'client_stats' })).stats);
  const ms = monotonicTime() - t0;
  logger.setLevel(level);
  return report(p, stats, mr, early, ms);
}

/** Runs in a process of its own; bad parameters stop the node with status
 *  2, a crash of the run itself with 3. */
export function runMain(p: ChaosParams | string): void {
  spawn(async () => {
    if (typeof p === 'string') {
      console.log(p);
      return halt(2);
    }
    const parent = self();
    const { ref } = spawnMonitor(async () => send(parent, { type: 'chaos_done', status: await chaos(p) }));
    const down = await receive<DownMessage>({ type: 'DOWN', ref });
    if (down.reason !== 'normal') {
      console.log(`chaos: failed: ${typeof down.reason === 'string' ? down.reason : JSON.stringify(down.reason)}`);
      return halt(3);
    }
    halt((await receive<{ status: number }>({ type: 'chaos_done' })).status);
  });
}
