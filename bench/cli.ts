// CLI and hosted-runner figures, each against a reference in the same run:
//   - CLI start-up (`mote --version`) against bare `node -e ""`;
//   - `mote run hello.img` against `mote boot hello.img` (QEMU, TCG);
//   - a hosted run of hello in-process against the floor (the same engine
//     booting a payload whose entry module is empty: no kernel);
//   - the smallest RAM at which hello runs, hosted and on metal;
//   - what one `memory()` call costs hosted.
// Medians of N runs.   npx vite-node bench/cli.ts [--runs 10]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runHosted } from '../builder/hosted/index.ts';
import { readImage } from '../builder/image.ts';
import { MOTE_ROOT } from '../builder/pack.ts';
import { bootImage } from '../builder/qemu.ts';
import { readFlags } from './flags.ts';
import { median } from './stats.ts';

const runs = readFlags('usage: npx vite-node bench/cli.ts [--runs 10]\n  --runs N   runs of each figure, alternating with its reference; medians are reported', ['runs']).number('runs', 10);
const out = join(MOTE_ROOT, 'bench/results');
mkdirSync(out, { recursive: true });
const bin = join(MOTE_ROOT, 'bin/mote.js');

function timeProcess(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return performance.now() - t0;
}
const timesOf = (args: string[]) => Array.from({ length: runs }, () => timeProcess(args));

execFileSync(process.execPath, ['builder/bundle-cli.js'], { cwd: MOTE_ROOT });
const hello = join(out, 'hello-cli.img');
const buildMs = median(timesOf([bin, 'build', join(MOTE_ROOT, 'images/hello'), '-o', hello]));
const img = await readImage(readFileSync(hello));
const payload = { manifest: img.manifest, files: img.files, tarBytes: img.tar.length };
const report: Record<string, unknown> = { runs };

const startup = { moteVersionMs: median(timesOf([bin, '--version'])), nodeFloorMs: median(timesOf(['-e', ''])) };
report.startup = startup;
report.buildHelloMs = buildMs;
console.log(`CLI start-up: mote --version ${startup.moteVersionMs.toFixed(1)} ms, node -e "" ${startup.nodeFloorMs.toFixed(1)} ms`);
console.log(`mote build images/hello: ${buildMs.toFixed(1)} ms`);

const cliRun = median(timesOf([bin, 'run', hello, '-m', '8M']));
const cliBoot = median(timesOf([bin, 'boot', hello, '-m', '8M', '--accel', 'tcg']));
report.cli = { runHelloMs: cliRun, bootHelloTcgMs: cliBoot };
console.log(`mote run hello: ${cliRun.toFixed(1)} ms; mote boot hello (TCG): ${cliBoot.toFixed(1)} ms`);

const hostedTimes: number[] = [];
for (let i = 0; i < runs; i++) {
  const r = await runHosted(payload, { memoryBytes: 8 << 20 });
  if (r.output !== 'hello from mote\n') throw new Error(`hosted hello printed ${JSON.stringify(r.output)}`);
  hostedTimes.push(r.wallMs);
}
const empty = { manifest: { ...img.manifest, modules: [] }, files: new Map([['main.js', '']]) };
const floorTimes: number[] = [];
for (let i = 0; i < runs; i++) {
  const r = await runHosted(empty, { memoryBytes: 8 << 20 });
  if (r.status !== 0 || r.output !== '') throw new Error(`floor: the empty payload gave ${r.status}: ${JSON.stringify(r.output)}`);
  floorTimes.push(r.wallMs);
}
report.inProcess = { hostedHelloMs: median(hostedTimes), floorMs: median(floorTimes) };
console.log(`in-process hello: hosted ${median(hostedTimes).toFixed(1)} ms, floor ${median(floorTimes).toFixed(1)} ms`);

async function smallest(runsAt: (ram: number) => Promise<boolean>): Promise<number> {
  let lo = 1 << 20, hi = 8 << 20;
  while (hi - lo > 16 << 10) {
    const mid = Math.round((lo + hi) / 2 / 4096) * 4096;
    if (await runsAt(mid)) hi = mid; else lo = mid;
  }
  return hi;
}
const hostedMin = await smallest(async (ram) => (await runHosted(payload, { memoryBytes: ram })).status === 0);
const metalMin = await smallest(async (ram) => {
  const r = await bootImage(hello, { memory: ram, accel: 'tcg', stdio: 'pipe', timeoutMs: 20_000 }).catch(() => ({ status: -1 }));
  return r.status === 0;
});
report.smallestRam = { hosted: hostedMin, metal: metalMin };
console.log(`smallest RAM for hello (16 KiB steps): hosted ${hostedMin / 1024} KiB, metal ${metalMin / 1024} KiB`);

const probe = await runHosted(
  { ...payload, files: new Map([['main.js', `const keep = []; for (let i = 0; i < 50000; i++) keep.push({ i, s: 'x' + i });
const t0 = __mote.monotonicMs(); for (let i = 0; i < 200; i++) __mote.memory();
__mote.write(String((__mote.monotonicMs() - t0) / 200));`]]) },
  { memoryBytes: 32 << 20 },
);
report.memoryCallMs_50kObjects = Number(probe.output);
console.log(`memory() with 50,000 live objects: ${Number(probe.output).toFixed(3)} ms per call`);
writeFileSync(join(out, 'cli.json'), JSON.stringify(report, null, 2) + '\n');
