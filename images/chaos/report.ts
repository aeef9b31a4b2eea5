// The end of a run: every acknowledged write checked against the table,
// then the report, and the status it comes to.
import { TIMEOUT, ets, type DownMessage, type Timeout } from 'mote';
import { FRONT_STATS } from './front.ts';
import type { Value } from './kv.ts';
import type { ClientStats } from './load.ts';
import type { MonkeyReport } from './monkey.ts';
import type { ChaosParams } from './params.ts';
import { TABLE } from './store.ts';

/** Prints the report; the status: 0 nothing lost and everything restarted,
 *  4 a supervisor passed its restart intensity, 5 an acknowledged write was
 *  lost or a read went back in time, 6 a process was not restarted. */
export function report(p: ChaosParams, stats: ClientStats[], mr: MonkeyReport, early: DownMessage | Timeout, ms: number): number {
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
  console.log(`monkey: ticks: ${mr.madeUp} made up for a late timer, ${mr.skippedLate} skipped (later still), ${mr.noVictim} with no process it could kill; the longest restore took ${mr.restoreMaxMs.toFixed(1)} ms`);
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
