// The OR-Library's weighted tardiness format (wt40, wt50, wt100): a stream
// of integers, whitespace-separated, instance after instance; each instance
// of n jobs is n processing times, then n weights, then n due dates.

export interface Instance {
  /** Processing time, weight and due date of each job. */
  p: number[];
  w: number[];
  d: number[];
}

/** Instance `index` (from 0) of `jobs` jobs each; throws with a one-line message on bad data. */
export function readInstance(text: string, jobs: number, index: number): Instance {
  const words = text.split(/\s+/).filter((s) => s !== '');
  const nums = words.map((s, i) => {
    if (!/^\d+$/.test(s)) throw new Error(`aco: the wt data's number ${i + 1} is ${JSON.stringify(s.slice(0, 20))}, not a non-negative integer`);
    return Number(s);
  });
  const per = 3 * jobs;
  if (nums.length === 0 || nums.length % per !== 0) throw new Error(`aco: the wt data has ${nums.length} numbers, not a multiple of ${per} (3 x ${jobs} jobs)`);
  const count = nums.length / per;
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new Error(`aco: instance ${index} asked for, the data holds 0..${count - 1}`);
  const at = index * per;
  const inst = { p: nums.slice(at, at + jobs), w: nums.slice(at + jobs, at + 2 * jobs), d: nums.slice(at + 2 * jobs, at + per) };
  if (inst.p.some((v) => v === 0)) throw new Error(`aco: instance ${index} has a job of processing time 0`);
  return inst;
}

/** Total weighted tardiness of a schedule (a permutation of the jobs). */
export function tardiness(inst: Instance, order: readonly number[]): number {
  let t = 0;
  let sum = 0;
  for (const j of order) {
    t += inst.p[j];
    if (t > inst.d[j]) sum += inst.w[j] * (t - inst.d[j]);
  }
  return sum;
}

/** The earliest-due-date schedule: the usual first bound for SMTWTP. */
export function edd(inst: Instance): number[] {
  return inst.p.map((_, j) => j).sort((a, b) => inst.d[a] - inst.d[b] || a - b);
}
