// The chaos monkey: at a fixed rate, on an absolute schedule, it takes the
// levels of the tree in turn (1, 2, 3, 1...), picks a live process of that
// level at random, and kills it (exit 'kill'). It does not wait for the
// tree to be whole again first: under a flat-out load a restart waits
// behind every client in the run queue (under TCG it took 120-320 ms,
// against a 40 ms period at 25 kills/s, and most ticks went by waiting).
// One rule keeps the run's promise that no acknowledged write is lost: the
// two replicas' subtrees back each other up (store.ts), so a process under
// one is killed only while the other is whole; where the level has no such
// process, the next level gives the victim. A tick whose timer came a period
// or more late is made up at once, up to MAKE_UP of them (the host may
// deschedule the whole node: its clock runs on, no process runs), and the
// rest are counted as skipped: so a timer starved for longer shows as kills
// missing. It counts kills and restarts (new pids, collateral ones included)
// by level, how late its ticks were, and the supervisors that went down
// 'shutdown' on their own: past their restart intensity. A process still not
// restarted after RESTORE_LIMIT_MS ends the run.
import { TIMEOUT, exit, monitor, monotonicTime, receive, send, sleep, whereis, type DownMessage, type Pid } from 'mote';
import { rng } from '../aco/rng.ts'; // one seeded PRNG for both images
import { REPLICAS, ROOT, type Member } from './tree.ts';

export interface MonkeyReport {
  ticks: number;
  expected: number;
  /** Ticks made up at once because the timer fired a period late or more. */
  madeUp: number;
  /** Ticks skipped because the timer fired later than MAKE_UP periods. */
  skippedLate: number;
  /** Ticks with no process the monkey could kill (every one of them restarting, or under a replica whose twin was). */
  noVictim: number;
  killsByLevel: number[];
  restartsByLevel: number[];
  /** Milliseconds the timer fired after a tick's due time (ticks it waited for). */
  lateMedian: number;
  lateMax: number;
  /** Longest time a killed process's name went without a live process. */
  restoreMaxMs: number;
  /** Supervisors that passed their restart intensity (each time). */
  gaveUp: string[];
  /** Names still without a live process at the end. */
  missing: string[];
}

const STOP = { type: 'stop_monkey' };
const RESTORE_LIMIT_MS = 10_000;
/** Late ticks made up at once, at most: a longer stall shows as kills missing. */
const MAKE_UP = 4;

export async function monkey(members: Member[], rate: number, seed: number, report: Pid): Promise<void> {
  const rand = rng(seed);
  const levels = [...new Set(members.map((m) => m.level))].sort();
  const byName = new Map(members.map((m) => [m.name, m]));
  const known = new Map<string, Pid>();
  const killed = new Set<number>();
  const watched = new Map<number, string>(); // monitor ref id -> supervisor name
  const downs: string[] = []; // supervisors down 'shutdown' since the last whole tree
  const r: MonkeyReport = { ticks: 0, expected: 0, madeUp: 0, skippedLate: 0, noVictim: 0, killsByLevel: [0, 0, 0, 0], restartsByLevel: [0, 0, 0, 0], lateMedian: 0, lateMax: 0, restoreMaxMs: 0, gaveUp: [], missing: [] };
  const late: number[] = [];

  const watch = (name: string, pid: Pid) => watched.set(monitor(pid).id, name);
  watch(ROOT, whereis(ROOT)!);

  function onDown(m: DownMessage): void {
    const name = watched.get(m.ref.id);
    watched.delete(m.ref.id);
    if (name !== undefined && m.reason === 'shutdown') downs.push(name);
  }

  /** New pids since the last look: restarts. */
  function look(first: boolean): void {
    for (const m of members) {
      const pid = whereis(m.name);
      if (!pid || pid === known.get(m.name)) continue;
      if (!first) r.restartsByLevel[m.level]++;
      known.set(m.name, pid);
      if (m.supervisor) watch(m.name, pid);
    }
  }

  const live = (m: Member) => {
    const pid = whereis(m.name);
    return pid !== undefined && !killed.has(pid.id);
  };
  const isWhole = () => members.every(live);
  // The replica each member is under, if any (store.ts: the two back each other up).
  const replicaOf = new Map<string, string>();
  for (const m of members) {
    for (let x: Member | undefined = m; x; x = byName.get(x.parent)) if (REPLICAS.includes(x.name)) replicaOf.set(m.name, x.name);
  }
  const subtreeWhole = (replica: string) => members.every((m) => replicaOf.get(m.name) !== replica || live(m));
  /** Live, and its death cannot take both replicas down. */
  const killable = (m: Member) => {
    const own = replicaOf.get(m.name);
    return live(m) && (own === undefined || REPLICAS.every((x) => x === own || subtreeWhole(x)));
  };

  /** The bookkeeping of a whole tree: the supervisors that gave up since the last one. */
  function settle(): void {
    // A supervisor down 'shutdown' whose parent was not: it gave up itself.
    for (const name of downs) if (!downs.includes(byName.get(name)?.parent ?? '')) r.gaveUp.push(name);
    downs.length = 0;
  }

  // Since when each name has had no live process.
  const missingSince = new Map<string, number>();
  /** Restarts seen, and how long the names went without a process; false
   *  once one has for RESTORE_LIMIT_MS, or the root is gone. */
  function watchRestores(now: number): boolean {
    if (!whereis(ROOT)) return false;
    look(false);
    for (const m of members) {
      const since = missingSince.get(m.name);
      if (live(m)) {
        if (since !== undefined) r.restoreMaxMs = Math.max(r.restoreMaxMs, now - since);
        missingSince.delete(m.name);
      } else if (since === undefined) missingSince.set(m.name, now);
      else if (now - since > RESTORE_LIMIT_MS) return false;
    }
    if (missingSince.size === 0) settle();
    return true;
  }

  /** One tick's kill: a killable process of this tick's level, else of the next level that has one. */
  function killOne(): void {
    r.ticks++;
    for (let i = 0; i < levels.length; i++) {
      const level = levels[(r.ticks - 1 + i) % levels.length];
      const here = members.filter((m) => m.level === level && killable(m));
      if (here.length === 0) continue;
      const name = here[Math.floor(rand() * here.length)].name;
      const victim = whereis(name)!;
      killed.add(victim.id);
      missingSince.set(name, monotonicTime());
      exit(victim, 'kill');
      r.killsByLevel[level]++;
      return;
    }
    r.noVictim++;
  }

  /** Waits until the tree is whole (the run's end); false if it will not be (the root is gone, or the limit passed). */
  async function whole(): Promise<boolean> {
    const t = monotonicTime();
    while (!isWhole()) {
      if (!whereis(ROOT) || monotonicTime() - t > RESTORE_LIMIT_MS) return false;
      await sleep(1);
    }
    watchRestores(monotonicTime());
    settle();
    return true;
  }

  look(true);
  const period = 1000 / rate;
  const t0 = monotonicTime();
  let tick = 0;
  let running = true;
  while (running) {
    tick++;
    const due = t0 + tick * period;
    const waited = due > monotonicTime();
    // Wait for the tick, taking the supervisors' DOWNs meanwhile.
    for (;;) {
      const m = await receive<DownMessage | typeof STOP>([STOP, { type: 'DOWN' }], { after: Math.max(0, due - monotonicTime()) });
      if (m === TIMEOUT) break;
      if (m.type === 'DOWN') onDown(m as DownMessage);
      else running = false;
      if (!running) break;
    }
    if (!running) break;
    const now = monotonicTime();
    if (waited) late.push(now - due);
    const missed = Math.floor((now - due) / period);
    const madeUp = Math.min(missed, MAKE_UP);
    tick += missed;
    r.madeUp += madeUp;
    r.skippedLate += missed - madeUp;
    if (!watchRestores(now)) break;
    for (let k = 0; k <= madeUp; k++) killOne();
  }
  r.expected = Math.floor((monotonicTime() - t0) / period);
  // Take the DOWNs still queued, then let the tree come whole a last time.
  for (let m; (m = await receive<DownMessage>({ type: 'DOWN' }, { after: 0 })) !== TIMEOUT; ) onDown(m as DownMessage);
  await whole();
  for (let m; (m = await receive<DownMessage>({ type: 'DOWN' }, { after: 0 })) !== TIMEOUT; ) onDown(m as DownMessage);
  if (!whereis(ROOT)) r.gaveUp.push(...downs.filter((n) => n === ROOT));
  r.missing = members.filter((m) => !whereis(m.name) || killed.has(whereis(m.name)!.id)).map((m) => m.name);
  late.sort((a, b) => a - b);
  r.lateMedian = late.length ? late[late.length >> 1] : 0;
  r.lateMax = late.length ? late[late.length - 1] : 0;
  send(report, { type: 'monkey_report', report: r });
}

export const stopMonkey = (pid: Pid) => send(pid, STOP);
