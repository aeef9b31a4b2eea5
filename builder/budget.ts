// `mote budget`: run an image at several RAM sizes, on QEMU, hosted or both,
// and classify each run (Ling's memory ladder):
//
//   full      the app ran and stopped with the status it stops with when it
//             runs fully (0 unless --status says otherwise);
//   degraded  the same, but it printed a line starting "mote: degraded"
//             (the kernel's word for "the console works, a module did not load");
//   refused   a predictable shutdown with a message: status 107;
//   crashed   anything else: a fault, an uncaught error, a hang past the
//             timeout, another exit status, a QEMU that failed at that size.
//
// Each outcome is compared with what `inspect` predicts for that size.
import { END_OF_INPUT, Exit } from '../kernel/platform.ts';
import { ImageError, StoppedError } from './errors.ts';
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
  /** Optional modules with a declared need (mote.memory.optional) that did
   *  not load, and those the prediction says would not: they must agree. */
  notLoaded: string[];
  expectedNotLoaded: string[];
  wallMs: number;
}

export interface BudgetOptions {
  sizes: number[];
  hosts: BudgetHost[];
  /** Per run; past it a run counts as crashed (default 10 s). */
  timeoutMs?: number;
  /** The app's status when it runs fully (default 0); any other is a crash. */
  expectStatus?: number;
  /** Give each run the network (default true), as boot and run do by
   *  default: the boot layer's network buffers come out of the same RAM. */
  net?: boolean;
  onProgress?: (done: number, total: number, current: { host: BudgetHost; ram: number }) => void;
}

export interface BudgetReport {
  runs: BudgetRun[];
  crashed: number;
  disagreements: number;
}

const DEGRADED = /^mote: degraded\b/m;
const NOT_LOADED = /^mote: degraded: (\S+) not loaded:/gm;

/** The declared optional modules the run's output says did not load. */
function declaredNotLoaded(output: string, declared: string[]): string[] {
  const seen = new Set([...output.matchAll(NOT_LOADED)].map((m) => m[1]!));
  return declared.filter((n) => seen.has(n));
}

export function classify(status: number, output: string, expectStatus = 0): Outcome {
  if (status === Exit.TooLittleMemory) return 'refused';
  if (status === expectStatus) return DEGRADED.test(output) ? 'degraded' : 'full';
  return 'crashed';
}

function detailOf(status: number, output: string, expectStatus: number): string {
  if (status === Exit.Timeout) return 'no exit before the timeout';
  const line = output.split('\n').find((l) => l.startsWith('mote: '));
  if (line) return line;
  if (status <= Exit.AppMax && status !== expectStatus) return `the app exited with ${status}, not ${expectStatus} (--status)`;
  return status > Exit.AppMax ? `status ${status}` : '';
}

interface RunResult {
  status: number;
  output: string;
  wallMs: number;
}

async function bootOnce(path: string, ram: number, timeoutMs: number, net: boolean): Promise<RunResult> {
  const { bootImage, QemuError, qemuMissing } = await import('./qemu.ts');
  const missing = qemuMissing();
  if (missing) throw new QemuError(missing); // nothing to classify: no run can start
  try {
    // The console's input ends at once (0x04), as the hosted runs' empty stdin does.
    const r = await bootImage(path, { memory: ram, stdio: 'pipe', timeoutMs, input: END_OF_INPUT, net });
    // Told to stop: the run was cut short, not crashed; the budget ends here.
    if (r.stoppedBy) throw new StoppedError(`budget stopped by ${r.stoppedBy}; its QEMU was stopped`, r.status);
    return r;
  } catch (e) {
    // The runner refuses what QEMU could not even load: that is the boot layer's 107.
    if (e instanceof ImageError && e.status === Exit.TooLittleMemory) return { status: Exit.TooLittleMemory, output: `mote: ${e.message}\n`, wallMs: 0 };
    // QEMU failing at one size is that run's crash; the other sizes still run.
    if (e instanceof QemuError) return { status: -1, output: `mote: ${e.message}\n`, wallMs: 0 };
    throw e;
  }
}

/** The outcome is the predicted one, and so is the set of declared modules that did not load. */
export function agrees(r: BudgetRun): boolean {
  return r.outcome === r.expected && r.notLoaded.join() === r.expectedNotLoaded.join();
}

export async function budgetImage(path: string, bytes: Uint8Array, report: InspectReport, opts: BudgetOptions): Promise<BudgetReport> {
  const img = await readImage(bytes);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const expectStatus = opts.expectStatus ?? 0;
  const net = opts.net ?? true;
  const total = opts.sizes.length * opts.hosts.length;
  const runs: BudgetRun[] = [];
  for (const ram of opts.sizes) {
    for (const host of opts.hosts) {
      opts.onProgress?.(runs.length, total, { host, ram });
      const r: RunResult =
        host === 'hosted'
          ? await runHosted({ manifest: img.manifest, files: img.files, tarBytes: img.tar.length }, { memoryBytes: ram, timeoutMs, stdin: '', net })
          : await bootOnce(path, ram, timeoutMs, net);
      const { status, output, wallMs } = r;
      const outcome = classify(status, output, expectStatus);
      const expected = expectedOutcome(report.predicted, ram);
      const ran = (o: Outcome) => o === 'full' || o === 'degraded';
      const optional = report.predicted.optional;
      runs.push({
        host, ram, status, outcome, expected, detail: detailOf(status, output, expectStatus), wallMs,
        notLoaded: ran(outcome) ? declaredNotLoaded(output, optional.map((m) => m.name)) : [],
        expectedNotLoaded: ran(expected) ? optional.filter((m) => ram < m.loadsFrom).map((m) => m.name) : [],
      });
    }
  }
  opts.onProgress?.(total, total, { host: opts.hosts[0]!, ram: opts.sizes[opts.sizes.length - 1]! });
  return {
    runs,
    crashed: runs.filter((r) => r.outcome === 'crashed').length,
    disagreements: runs.filter((r) => !agrees(r)).length,
  };
}
