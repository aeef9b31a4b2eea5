// `npm run bench`: every benchmark in one run, written up as bench/REPORT.md
// with its plots (bench/plots/) and raw data (bench/REPORT.json).
// Each step either measures or says why it could not (a figure missing for a
// stated reason, such as no erl); a step that fails stops the report with a
// non-zero status naming it, and nothing is written.
//   npm run bench [-- --runs 3 --kernel-scale 0.05 ...]   (--help for all)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOTE_ROOT } from '../builder/pack.ts';
import { writeHello } from './boot-times.ts';
import { acoSection } from './report/aco-step.ts';
import { bootSection } from './report/boot-step.ts';
import { readResult, runScript, StepError } from './report/child.ts';
import { imagesSection } from './report/images-step.ts';
import { describeMachine, ensureErl } from './report/machine.ts';
import { bootByImage, bootVsLinux, kernelVsBeam } from './report/plots.ts';
import { renderReport, timesBeam, type KernelResult, type OrbitResult, type ReportData } from './report/render.ts';
import { scaleSection } from './report/scale-step.ts';
import { readFlags } from './flags.ts';

const HELP = `usage: npm run bench -- [flags]        (npx vite-node bench/report.ts [flags])
  --runs N            runs per figure, medians reported (default 3)
  --boot-runs N       boots per machine for the Linux comparison (default 3)
  --linux-timeout S   a Linux boot past S seconds counts as a hang (default 90)
  --linux-max-mib M   top of the Linux smallest -m search (default 256)
  --kernel-scale X    bench/kernel/run.ts --scale (default 0.02; 1 is the full size, ~6 min a run on metal under TCG)
  --kernel-engines L  node,hosted,native,metal,beam (default all)
  --scale-engines L   the scale section's engines: node,hosted,native,metal,beam (default all but metal)
  --scale-tables L    its table sizes (default 10000,100000,300000,1000000)
  --scale-spawn L     its process counts (default 1000,10000,100000,1000000)
  --scale-ram MiB     its RAM for hosted, native and metal (default 1024)
  --orbit-space N     Orbit's space [0..N) (default 300)
  --orbit-workers P   Orbit's parallel workers (default 4)
  --aco KEY=V,...     images/aco's environment (default ROUNDS=2,ITERATIONS=2)
  --sections L        images,boot,kernel,scale,orbit,aco (default all)
  --extra L           also run and include: net (bench/net.ts --quick), cli (bench/cli.ts), web-apis
  --quick             one run each, the smallest sizes (a check that every step works)
  --render-only       rewrite bench/REPORT.md and its plots from bench/REPORT.json, measuring nothing
Writes bench/REPORT.md, bench/plots/*.svg and bench/REPORT.json (every run's figures).`;
const flags = readFlags(HELP, ['runs', 'boot-runs', 'linux-timeout', 'linux-max-mib', 'kernel-scale', 'kernel-engines', 'scale-engines', 'scale-tables', 'scale-spawn', 'scale-ram', 'orbit-space', 'orbit-workers', 'aco', 'sections', 'extra'], ['quick', 'render-only']);
const quick = flags.has('quick');
const runs = flags.number('runs', quick ? 1 : 3);
const bootRuns = flags.number('boot-runs', quick ? 1 : 3);
const linuxTimeoutMs = flags.number('linux-timeout', 90) * 1000;
const linuxMaxMiB = flags.number('linux-max-mib', 256);
const kernelScale = String(flags.number('kernel-scale', quick ? 0.01 : 0.02));
const kernelEngines = flags.list('kernel-engines', 'node,hosted,native,metal,beam');
const scaleEngines = flags.list('scale-engines', 'node,hosted,native,beam');
const sizes = (name: string, dflt: string) => flags.list(name, quick ? '1000' : dflt).map(Number);
const scaleTables = sizes('scale-tables', '10000,100000,300000,1000000');
const scaleSpawn = sizes('scale-spawn', '1000,10000,100000,1000000');
const scaleRamMiB = flags.number('scale-ram', 1024);
const orbitSpace = String(flags.number('orbit-space', quick ? 50 : 300));
const orbitWorkers = String(flags.number('orbit-workers', 4));
const acoEnv = Object.fromEntries(flags.list('aco', quick ? 'ROUNDS=1,ITERATIONS=1' : 'ROUNDS=2,ITERATIONS=2').map((kv) => kv.split('=') as [string, string]));
const extras = flags.list('extra', '');
const SECTIONS = ['images', 'boot', 'kernel', 'scale', 'orbit', 'aco'];
const sections = flags.list('sections', SECTIONS.join(','));
for (const x of sections) if (!SECTIONS.includes(x)) { console.error(`bench: unknown section ${x} (${SECTIONS.join(', ')})`); process.exit(2); }
for (const n of [runs, bootRuns, linuxTimeoutMs, linuxMaxMiB]) if (!(n > 0)) { console.error('bench: --runs, --boot-runs, --linux-timeout and --linux-max-mib take positive numbers'); process.exit(2); }

/** The plots for this run's figures, into bench/plots/; their paths go in `data.plots`. */
function writePlots(data: ReportData): void {
  const dir = join(MOTE_ROOT, 'bench/plots');
  mkdirSync(dir, { recursive: true });
  const put = (name: string, text: string) => { writeFileSync(join(dir, name), text); data.plots[name.replace(/\..*/, '')] = `plots/${name}`; };
  if (data.images) put('images.svg', bootByImage(data.images.map((r) => ({ name: r.name, ms: r.medians.firstOutputMs, floorMs: r.medians.floorMs }))));
  if (data.boot) {
    put('boot.svg', bootVsLinux(Object.entries(data.boot.machines).flatMap(([m, b]) => [
      { machine: m, what: 'floor', ms: b.medians.floorMs }, { machine: m, what: 'mote hello', ms: b.medians.helloMs },
      ...(b.linuxMs.length ? [{ machine: m, what: 'linux hello', ms: b.medians.linuxMs }] : []),
    ])));
  }
  if (data.kernel && data.kernel.engines.includes('beam')) {
    const rows = Object.entries(data.kernel.medians).flatMap(([w, r]) => data.kernel!.engines.filter((e) => e !== 'beam' && Number.isFinite(timesBeam(r, e)))
      .map((e) => ({ workload: w, engine: e, ratio: 1 / timesBeam(r, e) })));
    put('kernel.svg', kernelVsBeam(rows));
  }
}

// --render-only: the report and plots again from the last run's bench/REPORT.json
// (its wording changed), measuring nothing.
if (flags.has('render-only')) {
  const data = JSON.parse(readFileSync(join(MOTE_ROOT, 'bench/REPORT.json'), 'utf8')) as ReportData;
  writePlots(data);
  writeFileSync(join(MOTE_ROOT, 'bench/REPORT.md'), renderReport(data));
  console.log('rewrote bench/REPORT.md and bench/plots/ from bench/REPORT.json');
  process.exit(0);
}

const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
const t0 = performance.now();
const work = mkdtempSync(join(tmpdir(), 'mote-report-'));
const missing: string[] = [];

/** One step: its failure names it, once. */
async function step<T>(name: string, f: () => Promise<T> | T): Promise<T> {
  log(`step ${name}`);
  try {
    return await f();
  } catch (e) {
    throw e instanceof StepError ? e : new StepError(name, e instanceof Error ? e.message : String(e));
  }
}

try {
  const erlMissing = await step('setup', () => ensureErl(log));
  // The native engine is not part of `npm run build`: made here when a section runs it.
  if ([...kernelEngines, ...scaleEngines].includes('native') && (sections.includes('kernel') || sections.includes('scale'))) {
    await step('native', () => execFileSync('make', ['-C', join(MOTE_ROOT, 'qemu'), 'native'], { stdio: ['ignore', 'ignore', 'inherit'] }));
  }
  for (const s of SECTIONS) if (!sections.includes(s)) missing.push(`${s}: not among this run's --sections`);
  const machine = await step('machine', describeMachine);
  const engines = erlMissing ? kernelEngines.filter((e) => e !== 'beam') : kernelEngines;
  if (erlMissing) missing.push(`BEAM (the actor micro-benchmarks' and Orbit's reference): ${erlMissing}`);
  const data: ReportData = {
    date: new Date().toISOString(), command: `npm run bench ${process.argv.slice(2).filter((a) => a !== '--').length ? `-- ${process.argv.slice(2).filter((a) => a !== '--').join(' ')}` : ''}`.trim(), elapsedMs: 0, machine, loadAfter: [], runs, extras: {}, missing, plots: {},
  };
  if (sections.includes('images')) data.images = await step('images', () => imagesSection({ runs, dir: work, log }));
  if (sections.includes('boot')) {
    data.boot = await step('boot', async () => {
      try {
        return await bootSection({ runs: bootRuns, linuxTimeoutMs, linuxMaxMiB, dir: work, log });
      } catch (e) {
        // Only the Linux reference's build may be missing; anything else fails the step.
        if (!(e instanceof Error) || !e.message.startsWith('bench/report/linux-hello.sh failed')) throw e;
        missing.push(`the Linux VM boot comparison: ${e.message}`);
        return undefined;
      }
    });
  }
  if (sections.includes('kernel')) {
    data.kernel = await step('kernel', async () => {
      await runScript('kernel', 'bench/kernel/run.ts', ['--runs', String(runs), '--scale', kernelScale, '--engines', engines.join(',')]);
      return readResult<KernelResult>('kernel', 'kernel.json');
    });
  }
  if (sections.includes('scale')) {
    const e = erlMissing ? scaleEngines.filter((x) => x !== 'beam') : scaleEngines;
    data.scale = await step('scale', () => scaleSection({ runs, ramMiB: scaleRamMiB, engines: e, tableSizes: scaleTables, spawnSizes: scaleSpawn, log }));
  }
  if (sections.includes('orbit')) {
    data.orbit = await step('orbit', async () => {
      const e = erlMissing ? 'hosted,metal' : 'hosted,metal,beam';
      await runScript('orbit', 'bench/orbit/run.ts', ['--runs', String(runs), '--space', orbitSpace, '--workers', orbitWorkers, '--engines', e]);
      const o = readResult<OrbitResult>('orbit', 'orbit.json');
      // Another process may write the same file: it must be this run's.
      if (String(o.space) !== orbitSpace || o.runs !== runs) throw new Error(`bench/results/orbit.json is not this run's (space ${o.space}, runs ${o.runs})`);
      return o;
    });
  }
  if (sections.includes('aco')) {
    data.aco = await step('aco', async () => acoSection({ runs, env: acoEnv, memory: '8M', dir: work, hello: (await writeHello(work)).path, log }));
  }
  const EXTRA: Record<string, [string, string[]]> = {
    net: ['bench/net.ts', ['--quick']],
    cli: ['bench/cli.ts', ['--runs', String(runs)]],
    'web-apis': ['bench/web-apis.ts', ['--runs', String(runs)]],
  };
  for (const x of extras) {
    const e = EXTRA[x];
    if (!e) throw new StepError(x, `unknown --extra ${x} (${Object.keys(EXTRA).join(', ')})`);
    data.extras[e[0]] = await step(x, () => runScript(x, e[0], e[1]));
  }

  await step('plots', () => writePlots(data));
  data.loadAfter = loadavg();
  data.elapsedMs = performance.now() - t0;
  writeFileSync(join(MOTE_ROOT, 'bench/REPORT.json'), JSON.stringify(data, null, 2) + '\n');
  writeFileSync(join(MOTE_ROOT, 'bench/REPORT.md'), renderReport(data));
  log(`wrote bench/REPORT.md in ${(data.elapsedMs / 60000).toFixed(1)} min`);
} catch (e) {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}; bench/REPORT.md not written`);
  process.exit(1);
}
