// `mote budget`: run an image at several RAM sizes, on QEMU, hosted or both,
// and classify each run (Ling's memory ladder):
//
//   full      the app ran and stopped with an app status (0..99);
//   degraded  the same, but it printed a line starting "mote: degraded"
//             (the kernel's word for "the console works, a module did not load");
//   refused   a predictable shutdown with a message: status 107;
//   crashed   anything else: a fault, an uncaught error, a hang past the timeout.
//
// Each outcome is compared with what `inspect` predicts for that size.
import { Exit } from '../kernel/platform.ts';
import { runHosted } from './hosted/index.ts';
import { expectedOutcome, type InspectReport, type Outcome } from './inspect.ts';
import { readImage } from './image.ts';

export type BudgetHost = 'qemu' | 'hosted';

export interface BudgetRun {
  host: BudgetHost;
  ram: number;
  status: number;
  outcome: Outcome;
  expected: Outcome;
  /** The first line of output that explains a refusal or crash. */
  detail: string;
  wallMs: number;
}

export interface BudgetOptions {
  sizes: number[];
  hosts: BudgetHost[];
  /** Per run; past it a run counts as crashed (default 10 s). */
  timeoutMs?: number;
  onProgress?: (done: number, total: number, current: { host: BudgetHost; ram: number }) => void;
}

export interface BudgetReport {
  runs: BudgetRun[];
  crashed: number;
  disagreements: number;
}

const DEGRADED = /^mote: degraded\b/m;

export function classify(status: number, output: string): Outcome {
  if (status === Exit.TooLittleMemory) return 'refused';
  if (status >= 0 && status <= Exit.AppMax) return DEGRADED.test(output) ? 'degraded' : 'full';
  return 'crashed';
}

function detailOf(status: number, output: string): string {
  if (status === Exit.Timeout) return 'no exit before the timeout';
  const line = output.split('\n').find((l) => l.startsWith('mote: '));
  return line ?? (status > Exit.AppMax ? `status ${status}` : '');
}

export async function budgetImage(path: string, bytes: Uint8Array, report: InspectReport, opts: BudgetOptions): Promise<BudgetReport> {
  const img = await readImage(bytes);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const total = opts.sizes.length * opts.hosts.length;
  const runs: BudgetRun[] = [];
  for (const ram of opts.sizes) {
    for (const host of opts.hosts) {
      opts.onProgress?.(runs.length, total, { host, ram });
      let status: number;
      let output: string;
      let wallMs: number;
      if (host === 'hosted') {
        const r = await runHosted({ manifest: img.manifest, files: img.files, tarBytes: img.tar.length }, { memoryBytes: ram, timeoutMs, stdin: '' });
        ({ status, output, wallMs } = r);
      } else {
        const { bootImage } = await import('./qemu.ts');
        const r = await bootImage(path, { memory: ram, stdio: 'pipe', timeoutMs, input: '' }).catch((e: unknown) => {
          // The runner refuses what QEMU could not even load: that is the boot layer's 107.
          if (e instanceof Error && 'status' in e && (e as { status: number }).status === Exit.TooLittleMemory) {
            return { status: Exit.TooLittleMemory, output: `mote: ${e.message}\n`, wallMs: 0, stderr: '' };
          }
          throw e;
        });
        ({ status, output, wallMs } = r);
      }
      const outcome = classify(status, output);
      runs.push({ host, ram, status, outcome, expected: expectedOutcome(report.predicted, ram), detail: detailOf(status, output), wallMs });
    }
  }
  opts.onProgress?.(total, total, { host: opts.hosts[0]!, ram: opts.sizes[opts.sizes.length - 1]! });
  return {
    runs,
    crashed: runs.filter((r) => r.outcome === 'crashed').length,
    disagreements: runs.filter((r) => r.outcome !== r.expected).length,
  };
}
