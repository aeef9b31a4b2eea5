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
// A server never stops by itself: given `ready` (a line it prints once it is
// up, such as "listening on port 80"), a run that prints it is stopped there
// and counts as full (or degraded); one that does not is a crash or a hang.
//
// Each outcome is compared with what `inspect` predicts for that size. Runs
// may go `jobs` at a time: QEMU's in processes of their own, the hosted ones
// one at a time (they share this process's thread).
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
  /** A crashed run's last lines of output, to see what happened (--json). */
  tail?: string[];
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
  /** The app's command line (builder/cmdline.ts's encoding): its arguments and environment. */
  commandLine?: string;
  /** A line a server prints once it is up: the run is stopped there and
   *  counts as running (full or degraded); a run without it never does. */
  ready?: string;
  /** Runs at once (default 1). */
  jobs?: number;
  onProgress?: (done: number, total: number, current: { host: BudgetHost; ram: number }) => void;
}

export interface BudgetReport {
  runs: BudgetRun[];
  crashed: number;
  disagreements: number;
}

const DEGRADED = /^mote: degraded\b/m;
/** The status of a run budget stopped (its signal), as Ctrl-C's. */
const STOPPED = 130;
/** Lines of a crashed run's output kept in the report. */
const TAIL_LINES = 12;
const NOT_LOADED = /^mote: degraded: (\S+) not loaded:/gm;

/** The declared optional modules the run's output says did not load. */
function declaredNotLoaded(output: string, declared: string[]): string[] {
  const seen = new Set([...output.matchAll(NOT_LOADED)].map((m) => m[1]!));
  return declared.filter((n) => seen.has(n));
}

/** How a run ended: `ready` says whether a server printed its ready line
 *  and was stopped there (then its status is the stop's, not the app's). */
export function classify(status: number, output: string, expectStatus = 0, ready?: boolean): Outcome {
  if (status === Exit.TooLittleMemory) return 'refused';
  if (ready ?? status === expectStatus) return DEGRADED.test(output) ? 'degraded' : 'full';
  return 'crashed';
}

function detailOf(status: number, output: string, expectStatus: number, ready?: { line: string; seen: boolean; printed: boolean }): string {
  if (ready?.seen) return `up ('${ready.line}'), stopped there`;
  if (status === Exit.Timeout) return ready ? `never printed '${ready.line}' (no exit before the timeout)` : 'no exit before the timeout';
  const line = output.split('\n').find((l) => l.startsWith('mote: '));
  if (line) return line;
  if (status <= Exit.AppMax && status !== expectStatus) return `the app exited with ${status}, not ${expectStatus} (--status)`;
  if (ready && status !== Exit.TooLittleMemory) return `ended with ${status} ${ready.printed ? 'after' : 'before'} printing '${ready.line}'`;
  return status > Exit.AppMax ? `status ${status}` : '';
}

interface RunResult {
  status: number;
  output: string;
  wallMs: number;
}

interface RunOptions {
  timeoutMs: number;
  net: boolean;
  commandLine?: string;
  signal: AbortSignal;
  onOutput(text: string): void;
}

async function bootOnce(path: string, ram: number, o: RunOptions): Promise<RunResult> {
  const { bootImage, QemuError, qemuMissing } = await import('./qemu.ts');
  const missing = qemuMissing();
  if (missing) throw new QemuError(missing); // nothing to classify: no run can start
  try {
    // The console's input ends at once (0x04), as the hosted runs' empty stdin does.
    const r = await bootImage(path, { memory: ram, stdio: 'pipe', input: END_OF_INPUT, ...o });
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

/** Runs `n` tasks, at most `jobs` at once, `serial(i)` ones one at a time;
 *  the results in task order. */
async function pool<T>(n: number, jobs: number, serial: (i: number) => boolean, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(n);
  let next = 0;
  let serialTail: Promise<unknown> = Promise.resolve();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      if (!serial(i)) results[i] = await task(i);
      else {
        const turn = serialTail.then(() => task(i));
        serialTail = turn.catch(() => undefined);
        results[i] = await turn;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, n) }, worker));
  return results;
}

export async function budgetImage(path: string, bytes: Uint8Array, report: InspectReport, opts: BudgetOptions): Promise<BudgetReport> {
  const img = await readImage(bytes);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const expectStatus = opts.expectStatus ?? 0;
  const net = opts.net ?? true;
  const cases = opts.sizes.flatMap((ram) => opts.hosts.map((host) => ({ ram, host })));
  const total = cases.length;
  let started = 0;
  const runOne = async ({ ram, host }: { ram: number; host: BudgetHost }): Promise<BudgetRun> => {
    opts.onProgress?.(started++, total, { host, ram });
    // A server's ready line stops its run, and with it the collected output.
    const stop = new AbortController();
    let seen = '';
    let stopping = false;
    const onOutput = (text: string) => {
      seen += text;
      // After the turn that printed it: an engine told mid-turn may sleep on
      // before it looks (the wasm engine's sleep waits for an abort to come).
      if (opts.ready && !stopping && seen.includes(opts.ready)) {
        stopping = true;
        setImmediate(() => stop.abort());
      }
    };
    const o: RunOptions = { timeoutMs, net, commandLine: opts.commandLine, signal: stop.signal, onOutput };
    const r: RunResult =
      host === 'hosted'
        ? await runHosted(
            { manifest: img.manifest, files: img.files, tarBytes: img.tar.length },
            { memoryBytes: ram, timeoutMs, stdin: '', net, commandLine: opts.commandLine, signal: stop.signal, stdout: { write: onOutput } },
          ).then((h) => ({ ...h, output: seen }))
        : await bootOnce(path, ram, o);
    const { status, output, wallMs } = r;
    // Up only if budget's stop ended it: one that ended by itself first is judged by its status.
    const ready = opts.ready === undefined ? undefined : { line: opts.ready, seen: stopping && stop.signal.aborted && status === STOPPED, printed: stopping };
    const outcome = classify(status, output, expectStatus, ready?.seen);
    const expected = expectedOutcome(report.predicted, ram);
    const ran = (x: Outcome) => x === 'full' || x === 'degraded';
    const optional = report.predicted.optional;
    return {
      host, ram, status, outcome, expected, detail: detailOf(status, output, expectStatus, ready), wallMs,
      notLoaded: ran(outcome) ? declaredNotLoaded(output, optional.map((m) => m.name)) : [],
      expectedNotLoaded: ran(expected) ? optional.filter((m) => ram < m.loadsFrom).map((m) => m.name) : [],
      ...(outcome === 'crashed' ? { tail: output.trimEnd().split('\n').slice(-TAIL_LINES) } : {}),
    };
  };
  const runs = await pool(total, Math.max(1, opts.jobs ?? 1), (i) => cases[i]!.host === 'hosted', (i) => runOne(cases[i]!));
  opts.onProgress?.(total, total, { host: opts.hosts[0]!, ram: opts.sizes[opts.sizes.length - 1]! });
  return {
    runs,
    crashed: runs.filter((r) => r.outcome === 'crashed').length,
    disagreements: runs.filter((r) => !agrees(r)).length,
  };
}
