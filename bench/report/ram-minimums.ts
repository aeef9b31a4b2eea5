// The report's measured RAM minimums per image, to set beside `mote
// inspect`'s predictions: the smallest -m (64 KiB steps) at which the image,
// booted on QEMU (microvm, TCG) through `mote budget`'s runs and classes,
// runs its job to its end (full or degraded: the boot minimum) and at which
// it runs fully (the full minimum). A bisection: it takes that running at
// some RAM means running at any more.
import { budgetImage, type BudgetRun } from '../../builder/budget.ts';
import { encodeCommandLine } from '../../builder/cmdline.ts';
import type { InspectReport } from '../../builder/inspect.ts';

const STEP = 64 << 10;
/** Known not to run: the boot layer and the image alone take about that much. */
const FLOOR = 1 << 20;
/** The top of the search: past it a minimum is missing. */
const TOP = 64 << 20;

/** How each image is told it ran: countdown ends with halt(3), the servers
 *  never end (their ready line stops them). */
const EXPECT: Record<string, { status?: number; ready?: string }> = {
  countdown: { status: 3 },
  echo: { ready: 'TcpServer: listening on port' },
  http: { ready: 'TcpServer: listening on port' },
};

export interface RamMinimums {
  /** null: it did not run at TOP. */
  bootMinBytes: number | null;
  fullMinBytes: number | null;
  /** Runs made, and how those that did not run ended (RAM: detail). */
  probes: number;
  failures: string[];
}

export async function measureRamMinimums(name: string, path: string, bytes: Uint8Array, report: InspectReport, env: Record<string, string>): Promise<RamMinimums> {
  const seen = new Map<number, BudgetRun>();
  const failures: string[] = [];
  const run = async (ram: number): Promise<BudgetRun> => {
    const known = seen.get(ram);
    if (known) return known;
    const r = (await budgetImage(path, bytes, report, {
      sizes: [ram], hosts: ['qemu'], timeoutMs: 20_000, net: true,
      expectStatus: EXPECT[name]?.status, ready: EXPECT[name]?.ready,
      commandLine: Object.keys(env).length ? encodeCommandLine([], env) : undefined,
    })).runs[0]!;
    seen.set(ram, r);
    if (r.outcome !== 'full') failures.push(`${ram / 1024} KiB: ${r.outcome}${r.detail ? ` (${r.detail})` : ''}`);
    return r;
  };
  const ran = (r: BudgetRun) => r.outcome === 'full' || r.outcome === 'degraded';
  const full = (r: BudgetRun) => r.outcome === 'full';
  const roundUp = (n: number) => Math.ceil(n / STEP) * STEP;
  // Smallest RAM in (lo, TOP] where ok holds, starting from a guess.
  const smallest = async (ok: (r: BudgetRun) => boolean, lo: number, guess: number): Promise<number | null> => {
    let hi = Math.max(roundUp(guess), lo + STEP);
    while (!ok(await run(hi))) {
      if (hi >= TOP) return null;
      lo = hi;
      hi = Math.min(TOP, roundUp(hi * 2));
    }
    while (hi - lo > STEP) {
      const mid = roundUp((lo + hi) / 2 - STEP / 2);
      if (ok(await run(mid))) hi = mid; else lo = mid;
    }
    return hi;
  };
  const fullMinBytes = await smallest(full, FLOOR, report.predicted.fullMin);
  // The boot minimum lies at or below the full one: bisect for a run to its
  // end between the largest RAM already seen not to run and the smallest
  // seen to run (the full search's runs count: most images cannot run
  // degraded, so it is found with no run more).
  const probed = [...seen.values()];
  const lo = Math.max(FLOOR, ...probed.filter((r) => !ran(r)).map((r) => r.ram).filter((r) => fullMinBytes === null || r < fullMinBytes));
  const hi = Math.min(...probed.filter(ran).map((r) => r.ram));
  const bootMinBytes = Number.isFinite(hi) ? await smallest(ran, lo, hi) : null;
  return { bootMinBytes, fullMinBytes, probes: seen.size, failures };
}
