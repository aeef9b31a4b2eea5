// mote budget IMAGE [--sizes 8M,12M,16M,20M] [--host qemu|hosted|both] [--status N] [--net none]
//   [--env NAME=value] [--ready TEXT] [--jobs N] [--json] [-- ARGS]
import { agrees, budgetImage, type BudgetHost, type BudgetReport, type BudgetRun } from '../budget.ts';
import { CliError, CliExit } from '../errors.ts';
import { checkHostedRam } from '../hosted/limits.ts';
import { checkMachineRam } from '../qemu.ts';
import { inspectImage } from '../inspect.ts';
import { formatSize } from '../size.ts';
import { readImageFile } from './common.ts';
import { guestCommandLine, type GuestFlags } from './guest-options.ts';

export interface BudgetFlags extends GuestFlags {
  sizes: number[];
  host: 'qemu' | 'hosted' | 'both';
  json?: boolean;
  timeout?: number;
  status?: number;
  net: 'user' | 'none';
  ready?: string;
  jobs?: number;
}

export async function budgetCommand(path: string, appArgs: string[], flags: BudgetFlags): Promise<number> {
  // An empty line would match before the server said anything: every run would count as crashed.
  if (flags.ready !== undefined && flags.ready.trim() === '') throw new CliError('--ready: give the line the server prints once it is up, such as "listening on port 80"', CliExit.Usage);
  const hosts: BudgetHost[] = flags.host === 'both' ? ['qemu', 'hosted'] : [flags.host];
  if (hosts.includes('hosted')) for (const ram of flags.sizes) checkHostedRam(ram, `--sizes ${formatSize(ram)} with --host ${flags.host}`);
  if (hosts.includes('qemu')) for (const ram of flags.sizes) checkMachineRam(ram, `--sizes ${formatSize(ram)}`);
  const bytes = readImageFile(path);
  const report = await inspectImage(bytes);
  const tty = process.stderr.isTTY;
  const result = await budgetImage(path, bytes, report, {
    sizes: flags.sizes,
    hosts,
    timeoutMs: flags.timeout,
    expectStatus: flags.status,
    net: flags.net !== 'none',
    commandLine: guestCommandLine(appArgs, flags),
    ready: flags.ready,
    jobs: flags.jobs,
    onProgress: (done, total, cur) => {
      if (done === total) return void (tty && process.stderr.write('\r\x1b[K'));
      const line = `budget: run ${done + 1}/${total}: ${cur.host} at ${formatSize(cur.ram)}`;
      process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
    },
  });
  process.stdout.write(flags.json ? JSON.stringify({ predicted: report.predicted, ...result }, null, 2) + '\n' : renderTable(result));
  return result.crashed > 0 || result.disagreements > 0 ? CliExit.Failed : 0;
}

function renderTable(r: BudgetReport): string {
  const rows = [['RAM', 'host', 'outcome', 'predicted', 'status', 'ms', 'detail']];
  for (const run of r.runs) {
    rows.push([formatSize(run.ram), run.host, run.outcome, run.expected + (agrees(run) ? '' : ' (!)'), String(run.status), String(Math.round(run.wallMs)), detailOf(run)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
  const verdict =
    r.crashed || r.disagreements
      ? `${r.crashed} crashed, ${r.disagreements} disagree${r.disagreements === 1 ? 's' : ''} with the prediction`
      : 'every run matches the prediction';
  return `${lines.join('\n')}\n${verdict}\n`;
}

/** Which declared modules did not load, where the prediction names them, else the run's own line. */
function detailOf(run: BudgetRun): string {
  if (!run.notLoaded.length && !run.expectedNotLoaded.length) return run.detail;
  const list = (names: string[]) => (names.length ? names.join(', ') : 'none');
  const same = run.notLoaded.join() === run.expectedNotLoaded.join();
  return same ? `not loaded: ${list(run.notLoaded)}` : `not loaded: ${list(run.notLoaded)}, predicted: ${list(run.expectedNotLoaded)}`;
}
