// The full memory sweep (issue 9): every image in images/ at 1M..32M and the
// odd sizes (the grid), then at the edges of its prediction (each threshold
// `mote inspect` gives and the KiB below it), on QEMU and hosted, through
// `mote budget`. Prints each run that crashed, hung or disagreed with the
// prediction, then the counts for the grid and the edges; exits 1 if there is
// any. Too slow for every CI run: the test suite runs tests/sweep/sweep.test.ts's subset.
//
//   npm run sweep [-- --jobs 2] [--images hello,echo] [--timeout 60] [--no-edges | --edges-only] [--verbose]
//     [--boot-layer ELF]   (a boot layer other than the one npm run build made)
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { moteSync, root, tempDir } from '../cli/support.ts';
import { formatSize } from '../../builder/size.ts';
import { crashed, disagrees, edgeSizes, hung, imageApps, known, SWEEP_PLAN, SWEEP_SIZES, type SweepRun } from './plan.ts';

const USAGE = `usage: npm run sweep [-- --jobs 2] [--images hello,echo] [--timeout 60] [--no-edges | --edges-only] [--verbose] [--boot-layer ELF]
  every image in images/ at 1M..32M in 1M steps, 1500K, 2047K and 7M+4K (the grid), then the edges of
  mote inspect's prediction, on QEMU and hosted; exits 1 if any run crashed, hung or disagreed`;
const VALUED = new Set(['--jobs', '--images', '--timeout', '--boot-layer']);
const SWITCHES = new Set(['--no-edges', '--edges-only', '--verbose']);
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i]!;
  if (a === '--') continue; // npm's, passed on by the script
  if (a === '--help' || a === '-h') {
    console.log(USAGE);
    process.exit(0);
  }
  if (VALUED.has(a)) i++;
  else if (!SWITCHES.has(a)) {
    console.error(`sweep: unknown argument ${a}\n${USAGE}`);
    process.exit(2);
  }
}

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** `mote budget`'s JSON for one image; its stderr on a failure of the command itself. */
function budget(image: string, args: string[]): Promise<{ runs: SweepRun[] } | string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin/mote.js'), 'budget', image, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('close', (code) => {
      // 0: all agree; 1: some run crashed or disagreed, the JSON says which.
      if (code === 0 || code === 1) {
        try {
          return resolve(JSON.parse(out));
        } catch {
          /* fall through: no JSON */
        }
      }
      resolve(`mote budget exited with ${code}: ${err.trim().split('\n').pop() ?? ''}`);
    });
  });
}

const jobs = flag('--jobs', '2');
const timeout = flag('--timeout', '60');
const apps = flag('--images', imageApps().join(',')).split(',');
const edges = !process.argv.includes('--no-edges');
const gridToo = !process.argv.includes('--edges-only');
if (!edges && !gridToo) {
  console.error(`sweep: --no-edges and --edges-only leave nothing to run\n${USAGE}`);
  process.exit(2);
}
const verbose = process.argv.includes('--verbose'); // a crashed run's last lines
const bootLayer = flag('--boot-layer', '');
const dir = tempDir();
const t0 = performance.now();
type Counts = { runs: number; crashed: number; hung: number; disagree: number };
const zero = (): Counts => ({ runs: 0, crashed: 0, hung: 0, disagree: 0 });
const totals = { grid: zero(), edges: zero() };
let failed = false;

function add(to: Counts, runs: SweepRun[]): Counts {
  const c = { runs: runs.length, crashed: runs.filter(crashed).length, hung: runs.filter(hung).length, disagree: runs.filter(disagrees).length };
  for (const k of Object.keys(c) as Array<keyof Counts>) to[k] += c[k];
  return c;
}
const say = (c: Counts) => `${c.runs} runs, ${c.crashed} crashed, ${c.hung} hung, ${c.disagree} disagree`;

for (const app of apps) {
  const plan = SWEEP_PLAN[app];
  if (!plan) {
    console.log(`${app}: not in tests/sweep/plan.ts's SWEEP_PLAN: say how it is run`);
    failed = true;
    continue;
  }
  const image = join(dir, `${app}.img`);
  const built = moteSync(['build', `images/${app}`, '-o', image, ...(bootLayer ? ['--boot-layer', bootLayer] : [])]);
  if (built.status !== 0) {
    console.log(`${app}: mote build failed: ${built.stderr.trim()}`);
    failed = true;
    continue;
  }
  const t = performance.now();
  const grid = new Set(SWEEP_SIZES);
  const edge = edges ? edgeSizes(JSON.parse(moteSync(['inspect', image, '--json']).stdout).predicted).filter((n) => !grid.has(n)) : [];
  const sizes = [...(gridToo ? SWEEP_SIZES : []), ...edge].map((n) => `${n / 1024}K`).join(',');
  if (!sizes) {
    console.log(`${app}: every edge is on the grid; nothing to run`);
    continue;
  }
  const r = await budget(image, ['--sizes', sizes, '--host', 'both', '--json', '--jobs', jobs, '--timeout', timeout, ...plan]);
  if (typeof r === 'string') {
    console.log(`${app}: ${r}`);
    failed = true;
    continue;
  }
  for (const run of r.runs.filter((x) => crashed(x) || hung(x) || disagrees(x))) {
    const k = known(app, run);
    const where = (grid.has(run.ram) ? '' : ' (edge)') + (k ? ' (known, tests/sweep/plan.ts)' : '');
    console.log(`  ${app} ${run.host} ${formatSize(run.ram)}${where}: ${run.outcome}, predicted ${run.expected} (status ${run.status}) ${run.detail}`);
    if (verbose) for (const line of run.tail ?? []) console.log(`      | ${line}`);
  }
  const g = add(totals.grid, r.runs.filter((x) => grid.has(x.ram)));
  const e = add(totals.edges, r.runs.filter((x) => !grid.has(x.ram)));
  console.log(`${app}: grid ${say(g)}; edges ${say(e)}; ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

const secs = ((performance.now() - t0) / 1000).toFixed(0);
console.log(`sweep: ${apps.length} images in ${secs} s (--jobs ${jobs}); grid ${say(totals.grid)}; edges ${say(totals.edges)} with the prediction`);
const bad = (c: Counts) => c.crashed + c.hung + c.disagree;
process.exit(failed || bad(totals.grid) || bad(totals.edges) ? 1 : 0);
