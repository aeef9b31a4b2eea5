/**
 * ets:safe_fixtable/2: while a process has a table fixed, a walk with
 * first/next (or last/prev) over it is safe: a row deleted meanwhile stays
 * where it was, dead (no longer in the table, seen by no read), so `next`
 * from its key still goes on to the row after it, and every row is visited
 * at most once; rows inserted meanwhile may or may not be seen. A process
 * may fix a table more than once; it is released when every fixation is
 * undone or the process dies. Ordered sets walk by key and need no fixing
 * (as in OTP, fixing one changes nothing).
 */
import { caller, type Proc } from './process.ts';
import type { Tid } from './term.ts';
import { onDeath } from './signals.ts';
import { now } from './clock.ts';
import { get, unfixed, type Table } from './ets_table.ts';

/** The tables each process has fixed, so that its death releases them. */
const fixedBy = new Map<Proc, Set<Table>>();

/** Fixes (true) or releases one fixation of (false) the table for the
 *  caller, which must be able to read it; returns true. */
export function safeFixtable(table: Tid | string, fix: boolean): true {
  if (typeof fix !== 'boolean') throw new TypeError('ets.safeFixtable: fix must be a boolean');
  const t = get('ets.safeFixtable', table, false);
  const p = caller();
  if (!p) throw new Error('ets.safeFixtable: not inside a process (a fixation belongs to a process)');
  if (fix) {
    if (!t.fixes) {
      t.fixes = new Map();
      t.fixedAt = now();
    }
    t.fixes.set(p, (t.fixes.get(p) ?? 0) + 1);
    let mine = fixedBy.get(p);
    if (!mine) fixedBy.set(p, (mine = new Set()));
    mine.add(t);
    return true;
  }
  const n = t.fixes?.get(p);
  if (n === undefined) return true;
  if (n > 1) t.fixes!.set(p, n - 1);
  else release(t, p);
  return true;
}

function release(t: Table, p: Proc): void {
  t.fixes?.delete(p);
  fixedBy.get(p)?.delete(t);
  if (t.fixes?.size === 0) unfixed(t);
}

/** info's `safe_fixed`: false, or when it was first fixed (monotonic ms)
 *  and each fixing process with its count. */
export function safeFixed(t: Table): false | { time: number; procs: [Proc['pid'], number][] } {
  if (!t.fixes) return false;
  return { time: t.fixedAt, procs: [...t.fixes].map(([p, n]) => [p.pid, n]) };
}

// Each table leaves p's set as it is released (release), and the set goes
// last: a death run again after running out of memory (signals.ts) goes on
// with the tables still fixed.
onDeath.push((p: Proc) => {
  const mine = fixedBy.get(p);
  if (!mine) return;
  for (const t of mine) release(t, p);
  fixedBy.delete(p);
});
