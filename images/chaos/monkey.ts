// The chaos monkey: at a fixed rate, on an absolute schedule (a late tick
// is not made up for: it shows as kills missing), it takes the levels of
// the tree in turn (1, 2, 3, 1...), picks a process of that level at
// random, and kills it
// (exit 'kill'). Before each kill it waits until the tree is whole again:
// every name registered to a live process other than one it killed. So
// each kill meets a tree its supervisors have restarted, and a restart
// that never comes ends the run. It counts kills and restarts (new pids,
// collateral ones included) by level, how late its ticks were, and the
// supervisors that went down 'shutdown' on their own: past their restart
// intensity.
import { TIMEOUT, exit, monitor, monotonicTime, receive, send, sleep, whereis, type DownMessage, type Pid } from 'mote';
import { rng } from '../aco/rng.ts'; // one seeded PRNG for both images
import { ROOT, type Member } from './tree.ts';

export interface MonkeyReport {
  ticks: number;
  expected: number;
  /** Ticks skipped because the timer fired a period late or more. */
  skippedLate: number;
  /** Ticks skipped while the monkey waited for the tree to be whole. */
  skippedRestoring: number;
  killsByLevel: number[];
  restartsByLevel: number[];
  /** Milliseconds the timer fired after a tick's due time (ticks it waited for). */
  lateMedian: number;
  lateMax: number;
  /** Longest wait for the tree to be whole again after a kill. */
  restoreMaxMs: number;
  /** Supervisors that passed their restart intensity (each time). */
  gaveUp: string[];
  /** Names still without a live process at the end. */
  missing: string[];
}

const STOP = { type: 'stop_monkey' };
const RESTORE_LIMIT_MS = 10_000;

export async function monkey(members: Member[], rate: number, seed: number, report: Pid): Promise<void> {
  const rand = rng(seed);
  const levels = [...new Set(members.map((m) => m.level))].sort();
  const byName = new Map(members.map((m) => [m.name, m]));
  const known = new Map<string, Pid>();
  const killed = new Set<number>();
  const watched = new Map<number, string>(); // monitor ref id -> supervisor name
  const downs: string[] = []; // supervisors down 'shutdown' since the last whole tree
  const r: MonkeyReport = { ticks: 0, expected: 0, skippedLate: 0, skippedRestoring: 0, killsByLevel: [0, 0, 0, 0], restartsByLevel: [0, 0, 0, 0], lateMedian: 0, lateMax: 0, restoreMaxMs: 0, gaveUp: [], missing: [] };
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

  const isWhole = () => members.every((m) => {
    const pid = whereis(m.name);
    return pid !== undefined && !killed.has(pid.id);
  });

  /** Waits until the tree is whole; false if it will not be (the root is gone, or the limit passed). */
  async function whole(): Promise<boolean> {
    const t = monotonicTime();
    while (!isWhole()) {
      if (!whereis(ROOT) || monotonicTime() - t > RESTORE_LIMIT_MS) return false;
      await sleep(1);
    }
    r.restoreMaxMs = Math.max(r.restoreMaxMs, monotonicTime() - t);
    look(false);
    // A supervisor down 'shutdown' whose parent was not: it gave up itself.
    for (const name of downs) if (!downs.includes(byName.get(name)?.parent ?? '')) r.gaveUp.push(name);
    downs.length = 0;
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
    const missed = Math.floor((now - due) / period); // not made up
    tick += missed;
    if (waited) r.skippedLate += missed;
    else r.skippedRestoring += missed;
    r.ticks++;
    if (!(await whole())) break;
    const level = levels[(r.ticks - 1) % levels.length];
    const here = members.filter((m) => m.level === level);
    const victim = known.get(here[Math.floor(rand() * here.length)].name)!;
    killed.add(victim.id);
    exit(victim, 'kill');
    r.killsByLevel[level]++;
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
