// The run: start the tree, the clients and the monkey; after DURATION_MS
// stop the monkey, then the clients; check every acknowledged write against
// the table; report. Status 0: nothing lost and everything restarted;
// 4: a supervisor passed its restart intensity; 5: an acknowledged write
// was lost or a read went back in time; 6: a process was not restarted.
import { ets, getenv, halt, logger, monitor, monotonicTime, receive, self, spawn, spawnMonitor, TIMEOUT, type DownMessage } from 'mote';

type Level = logger.Level;
import { client, stopLoad, type ClientStats } from './load.ts';
import { monkey, stopMonkey, type MonkeyReport } from './monkey.ts';
import { TABLE } from './store.ts';
import { FRONT_STATS, frontSpec } from './front.ts';
import { members, startTree } from './tree.ts';
import { mixSeed } from './rng.ts';
import type { Value } from './kv.ts';

export interface ChaosParams {
  durationMs: number;
  /** Kills per second. */
  rate: number;
  clients: number;
  keys: number;
  workers: number;
  pools: number;
  intensity: number;
  periodMs: number;
  seed: number;
  log: Level | 'none';
  /** Serve the line protocol over TCP on this port (front.ts); 0: no. */
  port: number;
}

const INTS: Array<[keyof ChaosParams, string, number, number]> = [
  ['durationMs', 'DURATION_MS', 1, 3_600_000],
  ['rate', 'RATE', 1, 10_000],
  ['clients', 'CLIENTS', 0, 1000],
  ['keys', 'KEYS', 1, 100_000],
  ['workers', 'WORKERS', 1, 256],
  ['pools', 'POOLS', 1, 64],
  ['intensity', 'INTENSITY', 0, 1_000_000],
  ['periodMs', 'PERIOD_MS', 1, 3_600_000],
  ['seed', 'SEED', 0, 2 ** 32 - 1],
  ['port', 'PORT', 0, 65535],
];

/** The parameters from the environment (package.json's "mote.env" under
 *  `-e NAME=value`); a one-line message if one is missing or bad. */
export function paramsFromEnv(): ChaosParams | string {
  const p = {} as Record<string, unknown>;
  for (const [key, name, lo, hi] of INTS) {
    const raw = getenv(name);
    if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < lo || Number(raw) > hi) return `chaos: ${name} must be an integer ${lo}..${hi}, got ${raw ?? 'nothing'}`;
    p[key] = Number(raw);
  }
  const log = getenv('LOG') ?? 'critical';
  if (![...logger.LEVELS, 'none'].includes(log as Level)) return `chaos: LOG must be one of ${logger.LEVELS.join(', ')} or none, got ${log}`;
  p.log = log;
  const c = p as unknown as ChaosParams;
  if (c.pools > c.workers) return `chaos: POOLS (${c.pools}) must not pass WORKERS (${c.workers})`;
  return c;
}

async function chaos(p: ChaosParams): Promise<number> {
  const shape = { workers: p.workers, pools: p.pools, flags: { intensity: p.intensity, period: p.periodMs } };
  if (p.port) ets.newTable({ name: FRONT_STATS, type: 'set', access: 'public' });
  const tree = startTree(shape, p.port ? [frontSpec(p.port, p.workers)] : []);
  if (!('ok' in tree)) throw new Error(`chaos: the tree did not start: ${JSON.stringify(tree)}`);
  const rootRef = monitor(tree.ok);
  const me = self();
  console.log(`chaos: ${p.durationMs} ms, ${p.clients} clients flat out on ${p.clients * p.keys} keys${p.port ? `, TCP on port ${p.port}` : ''}, ${p.workers} workers in ${p.pools} pools; monkey at ${p.rate} kills/s over levels 1-3; restart intensity ${p.intensity} per ${p.periodMs} ms`);
  logger.setLevel(p.log); // every kill would log its restart
  const t0 = monotonicTime();
  const clients = Array.from({ length: p.clients }, (_, c) => spawn(() => client(c, p.keys, p.workers, mixSeed(p.seed, c), me)));
  const mk = spawn(() => monkey(members(shape), p.rate, mixSeed(p.seed, 0xc4a05), me));
  const early = await receive<DownMessage>({ type: 'DOWN', ref: rootRef }, { after: p.durationMs });
  stopMonkey(mk);
  const mr = (await receive<{ report: MonkeyReport }>({ type: 'monkey_report' })).report;
  for (const c of clients) stopLoad(c);
  const stats: ClientStats[] = [];
  for (let i = 0; i < p.clients; i++) stats.push((await receive<{ stats: ClientStats }>({ type: 'client_stats' })).stats);
  const ms = monotonicTime() - t0;
  logger.setLevel('notice');

  // Every acknowledged write must be in the table, at its version or later.
  let acked = 0;
  let lost = 0;
  const table = ets.info(TABLE) !== undefined;
  for (const s of stats) {
    for (const [key, want] of Object.entries(s.acked)) {
      acked++;
      const got = table ? ((ets.lookupOne(TABLE, key) as Value | undefined)?.v ?? 0) : 0;
      if (got < want) lost++;
    }
  }
  const sum = (f: (s: ClientStats) => number) => stats.reduce((a, s) => a + f(s), 0);
  const sent = sum((s) => s.sent);
  const refused = sum((s) => s.refused);
  const answered = sum((s) => s.answered);
  const stale = sum((s) => s.stale);
  const kills = mr.killsByLevel.reduce((a, b) => a + b, 0);
  console.log(`requests: ${sent - refused} accepted, ${answered} answered, ${sent - refused - answered} lost (their server was killed), ${refused} refused (no server registered), in ${ms.toFixed(0)} ms`);
  if (p.port) console.log(`tcp: ${ets.lookupOne(FRONT_STATS, 'served') ?? 0} requests served on port ${p.port}, ${ets.lookupOne(FRONT_STATS, 'failed') ?? 0} answered ERR`);
  console.log(`writes: ${sum((s) => s.puts)} made, ${acked} keys with an acknowledged write, ${lost} of them lost; ${stale} reads older than the acknowledged write`);
  for (const level of [1, 2, 3]) console.log(`level ${level}: ${mr.killsByLevel[level]} kills, ${mr.restartsByLevel[level]} restarts`);
  const pct = mr.expected ? ((100 * kills) / mr.expected).toFixed(1) : '100.0';
  console.log(`monkey: ${kills} kills of ${mr.expected} expected (${pct}%); its timer fired ${mr.lateMedian.toFixed(1)} ms late (median), ${mr.lateMax.toFixed(1)} ms at most`);
  console.log(`monkey: ticks skipped: ${mr.skippedLate} for a late timer, ${mr.skippedRestoring} waiting for restarts (the longest restore took ${mr.restoreMaxMs.toFixed(1)} ms)`);
  const gaveUp = typeof early === 'object' && early.reason === 'shutdown' ? [...new Set([...mr.gaveUp, 'chaos.root'])] : mr.gaveUp;
  if (gaveUp.length > 0) {
    console.log(`chaos: supervisors past their restart intensity (${p.intensity} per ${p.periodMs} ms): ${gaveUp.join(', ')}`);
    return 4;
  }
  if (early !== TIMEOUT) {
    console.log(`chaos: the root supervisor exited: ${JSON.stringify((early as DownMessage).reason)}`);
    return 6;
  }
  if (lost > 0 || stale > 0) {
    console.log(`chaos: FAILED: ${lost} acknowledged writes lost, ${stale} stale reads`);
    return 5;
  }
  if (mr.missing.length > 0) {
    console.log(`chaos: FAILED: not restarted: ${mr.missing.join(', ')}`);
    return 6;
  }
  console.log('chaos: ok, nothing lost, everything restarted');
  return 0;
}

/** Runs in a process of its own; bad parameters stop the node with status
 *  2, a crash of the run itself with 3. */
export function runMain(p: ChaosParams | string): void {
  spawn(async () => {
    if (typeof p === 'string') {
      console.log(p);
      return halt(2);
    }
    let status = 3;
    const { ref } = spawnMonitor(async () => {
      status = await chaos(p);
    });
    const down = await receive<DownMessage>({ type: 'DOWN', ref });
    if (down.reason !== 'normal') console.log(`chaos: failed: ${typeof down.reason === 'string' ? down.reason : JSON.stringify(down.reason)}`);
    halt(status);
  });
}
