// The master (the RELEASE paper's two-level ACO): per round it sends every
// colony the best schedule so far, takes their bests in colony order, and
// keeps the lowest (the lower colony on a tie). At the end: the best total
// weighted tardiness and its schedule.
import { TIMEOUT, demonitor, exit, getenv, halt, logger, monitor, monotonicTime, receive, self, send, sleep, spawn, spawnMonitor, whereis, type DownMessage, type Pid, type Ref } from 'mote';
import { colonyName, type Best, type Round } from './colony.ts';
import { monkey, stopMonkey } from './monkey.ts';
import { restartFlags, startTree } from './tree.ts';
import { edd, readInstance, tardiness, type Instance } from './wt.ts';

export interface AcoParams {
  instance: number;
  colonies: number;
  ants: number;
  iterations: number;
  rounds: number;
  seed: number;
  /** Kill a random process of the tree this often (0: never). */
  monkeyMs: number;
}

const LIMITS: Record<keyof AcoParams, [string, number, number]> = {
  instance: ['INSTANCE', 0, 1e6],
  colonies: ['COLONIES', 1, 64],
  ants: ['ANTS', 1, 64],
  iterations: ['ITERATIONS', 1, 1e6],
  rounds: ['ROUNDS', 1, 1e6],
  seed: ['SEED', 0, 2 ** 32 - 1],
  monkeyMs: ['MONKEY_MS', 0, 1e6],
};

/** The parameters from the environment (package.json's "mote.env" under
 *  `-e NAME=value`); a one-line message if one is missing or bad. */
export function paramsFromEnv(): AcoParams | string {
  const p = {} as AcoParams;
  for (const [key, [name, lo, hi]] of Object.entries(LIMITS) as Array<[keyof AcoParams, [string, number, number]]>) {
    const raw = getenv(name);
    if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < lo || Number(raw) > hi) return `aco: ${name} must be an integer ${lo}..${hi}, got ${raw ?? 'nothing'}`;
    p[key] = Number(raw);
  }
  return p;
}

type Asked = { ref: Ref; msg: Round };

/** Sends colony c the round, once it is registered (a restart may be under
 *  way: bounded), watching it for an answer or its death. */
async function ask(c: number, msg: Round): Promise<Asked> {
  for (let waited = 0; ; waited++) {
    const pid = whereis(colonyName(c));
    if (pid) {
      const ref = monitor(pid);
      send(pid, msg);
      return { ref, msg };
    }
    if (waited > 10_000) throw new Error(`aco: colony ${c} was not restarted within 10 s`);
    await sleep(1);
  }
}

/** A colony that died before it answered, told to the run's first process
 *  (without the monkey: with it, deaths are what it does), so that a run
 *  whose tree gives up can say what kept dying. */
type ColonyDown = { type: 'colony_down'; colony: number; reason: unknown };

async function master(inst: Instance, p: AcoParams, runner: Pid): Promise<void> {
  const n = inst.p.length;
  const eddCost = tardiness(inst, edd(inst));
  const acs = { q0: 0.9, rho: 0.1, tau0: 1 / (n * Math.max(eddCost, 1)) };
  const tree = startTree({ inst, acs, ants: p.ants, iterations: p.iterations, seed: p.seed }, p.colonies, restartFlags(p.monkeyMs > 0));
  if (!('ok' in tree)) exit({ tree_not_started: 'error' in tree ? tree.error : 'ignore' } satisfies TreeFailed);
  console.log(`aco: ${n} jobs, ${p.colonies} colonies x ${p.ants} ants, ${p.rounds} rounds x ${p.iterations} iterations, seed ${p.seed}; EDD gives ${eddCost}`);
  const t0 = monotonicTime();
  let best: Best | null = null;
  const me = self();
  const mk = p.monkeyMs > 0 ? spawn(() => monkey(p.colonies, p.ants, p.monkeyMs, p.seed, me)) : null;
  const level = logger.getLevel();
  if (mk) logger.setLevel('critical'); // every kill would log its restart
  let resent = 0;
  for (let round = 0; round < p.rounds; round++) {
    const asked: Asked[] = [];
    for (let c = 0; c < p.colonies; c++) asked.push(await ask(c, { type: 'round', round, best, from: self() }));
    let from = -1;
    for (let c = 0; c < p.colonies; c++) {
      // A colony that dies before it answers (the monkey) is asked again
      // once its supervisor has restarted it.
      for (;;) {
        const m = await receive<{ type: 'colony_best'; best: Best } | DownMessage>([{ type: 'colony_best', colony: c, round }, { type: 'DOWN', ref: asked[c].ref }]);
        if (m.type === 'colony_best') {
          demonitor(asked[c].ref, { flush: true });
          if (!best || m.best.cost < best.cost) (best = m.best), (from = c);
          break;
        }
        if (!mk) send(runner, { type: 'colony_down', colony: c, reason: m.reason } satisfies ColonyDown);
        resent++;
        asked[c] = await ask(c, asked[c].msg);
      }
    }
    console.log(`round ${round + 1}: best ${best!.cost}${from >= 0 ? ` (new, colony ${from})` : ''}`);
  }
  if (mk) {
    stopMonkey(mk);
    const { kills } = await receive<{ kills: number }>({ type: 'monkey_kills' });
    logger.setLevel(level);
    console.log(`aco: monkey: ${kills} kills, every ${p.monkeyMs} ms; ${resent} rounds asked again of a restarted colony`);
  }
  const ms = monotonicTime() - t0;
  if (tardiness(inst, best!.order) !== best!.cost) throw new Error('aco: the best schedule does not cost what its colony said');
  console.log(`aco: best total weighted tardiness ${best!.cost} in ${ms.toFixed(1)} ms`);
  console.log(`aco: schedule ${best!.order.join(' ')}`);
}

const show = (r: unknown) => (typeof r === 'string' ? r : JSON.stringify(r));

/** The master's exit when its tree could not start (a RAM too small for the
 *  colonies asked for: every ant's start allocates its trail). */
type TreeFailed = { tree_not_started: unknown };

/** The child that could not start, down a supervisor's start error
 *  (`{ shutdown: { failed_to_start_child, reason } }`, nested once per
 *  level), and why: "colony 1 could not start (out_of_memory)". */
function failedChild(e: unknown): string {
  const names: string[] = [];
  for (;;) {
    const f = (e as { shutdown?: { failed_to_start_child?: unknown; reason?: unknown } } | null)?.shutdown;
    if (!f || typeof f.failed_to_start_child !== 'string') break;
    names.push(f.failed_to_start_child.replace(/^(colony|ant)(\d+)$/, '$1 $2'));
    e = f.reason;
  }
  return names.length ? `${names.join(', ')} could not start (${startError(e)})` : startError(e);
}

/** A start's error: out of memory as one name, whether the start was killed
 *  for it (out_of_memory) or caught the engine's error and returned it. */
function startError(e: unknown): string {
  const s = show(e);
  return /^(InternalError: )?out of memory$/.test(s) ? 'out_of_memory' : s;
}

/** Of the colony deaths the master told, the last with a cause of its own
 *  (not the kill of its supervisor's shutdown). */
async function lastColonyDeath(): Promise<ColonyDown | null> {
  let last: ColonyDown | null = null;
  for (;;) {
    const m = await receive<ColonyDown>({ type: 'colony_down' }, { after: 0 });
    if (m === TIMEOUT) return last;
    if (!last || (m.reason !== 'killed' && m.reason !== 'shutdown')) last = m;
  }
}

/** The master's end in one line: when its tree gave up (passed its restart
 *  intensity), what kept dying and why. */
function failure(reason: unknown, death: ColonyDown | null): string {
  const tree = (reason as TreeFailed | null)?.tree_not_started;
  if (tree !== undefined) {
    const why = failedChild(tree);
    const hint = why.endsWith('(out_of_memory)') ? ': the RAM is too small for the colonies and ants asked for' : '';
    return `the tree did not start: ${why}${hint}`;
  }
  if (reason === 'shutdown' && death) return `colony ${death.colony} kept dying (${show(death.reason)}) until its supervisors passed their restart intensity`;
  return show(reason);
}

/** Reads the instance and runs the master in a process of its own; a bad
 *  parameter or instance stops the node with status 2, a crash with 3. */
export function runMain(data: string, jobs: number, p: AcoParams | string): void {
  spawn(async () => {
    let inst: Instance;
    try {
      if (typeof p === 'string') throw new Error(p);
      inst = readInstance(data, jobs, p.instance);
    } catch (e) {
      console.log((e as Error).message);
      return halt(2);
    }
    const runner = self();
    const { ref } = spawnMonitor(() => master(inst, p, runner));
    const down = await receive<DownMessage>({ type: 'DOWN', ref });
    if (down.reason !== 'normal') {
      console.log(`aco: failed: ${failure(down.reason, await lastColonyDeath())}`);
      halt(3);
    }
    halt(0);
  });
}
