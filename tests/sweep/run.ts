// The full memory sweep (issue 9): every image in images/ at 1M..32M and the
// odd sizes, on QEMU and hosted, through `mote budget`. Prints each run that
// crashed, hung or disagreed with `mote inspect`'s prediction, then the
// counts; exits 1 if there is any. Too slow for every CI run (the test suite
// runs tests/sweep/sweep.test.ts's subset).
//
//   npm run sweep [-- --jobs 2] [--images hello,echo] [--timeout 60]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { moteSync, root, tempDir } from '../cli/support.ts';
import { formatSize } from '../../builder/size.ts';
import { crashed, disagrees, hung, imageApps, SWEEP_PLAN, SWEEP_SIZES, type SweepRun } from './plan.ts';

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
const dir = tempDir();
const t0 = performance.now();
const totals = { runs: 0, crashed: 0, hung: 0, disagree: 0 };
let failed = false;

for (const app of apps) {
  const plan = SWEEP_PLAN[app];
  if (!plan) {
    console.log(`${app}: not in tests/sweep/plan.ts's SWEEP_PLAN: say how it is run`);
    failed = true;
    continue;
  }
  const image = join(dir, `${app}.img`);
  const built = moteSync(['build', `images/${app}`, '-o', image]);
  if (built.status !== 0) {
    console.log(`${app}: mote build failed: ${built.stderr.trim()}`);
    failed = true;
    continue;
  }
  const t = performance.now();
  const sizes = SWEEP_SIZES.map((n) => `${n / 1024}K`).join(',');
  const r = await budget(image, ['--sizes', sizes, '--host', 'both', '--json', '--jobs', jobs, '--timeout', timeout, ...plan]);
  if (typeof r === 'string') {
    console.log(`${app}: ${r}`);
    failed = true;
    continue;
  }
  for (const run of r.runs.filter((x) => crashed(x) || hung(x) || disagrees(x))) {
    console.log(`  ${app} ${run.host} ${formatSize(run.ram)}: ${run.outcome}, predicted ${run.expected} (status ${run.status}) ${run.detail}`);
  }
  const counts = { runs: r.runs.length, crashed: r.runs.filter(crashed).length, hung: r.runs.filter(hung).length, disagree: r.runs.filter(disagrees).length };
  for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += counts[k];
  console.log(`${app}: ${counts.runs} runs, ${counts.crashed} crashed, ${counts.hung} hung, ${counts.disagree} disagree, ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

const secs = ((performance.now() - t0) / 1000).toFixed(0);
console.log(`sweep: ${apps.length} images, ${totals.runs} runs, ${totals.crashed} crashed, ${totals.hung} hung, ${totals.disagree} disagree with the prediction, in ${secs} s (--jobs ${jobs})`);
process.exit(failed || totals.crashed || totals.hung || totals.disagree ? 1 : 0);
