// The scale bench (issue 11): ets tables of 10k to 1M entries beside a
// plain Map on the same engine (insert and lookup rates, and ets / Map as a
// ratio), and N idle async processes (µs per spawn, heap bytes per
// process) beside BEAM's; every engine in the same run, medians of N runs.
//   npx vite-node bench/kernel/scale.ts [--runs 3] [--engines node,hosted,native,beam]
//     [--tables 10000,100000,300000,1000000] [--spawn 1000,10000,100000,1000000] [--cases idle,ring,fanout] [--ram 1024]
//     [--old DIR] (another checkout's kernel beside this one, in turns: before and after in one run)
//     [--old-engines] (with --old: its columns run on DIR's own engines too, by DIR's scale.ts:
//     an engine patch's before and after in one run)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOTE_ROOT } from '../../builder/paths.ts';
import { bundleFixture } from './workloads.ts';
import { median, parse, runOn, type Results } from './engines.ts';

const USAGE = `usage: npx vite-node bench/kernel/scale.ts [--runs 3] [--engines node,hosted,native,beam]
    [--tables 10000,100000,300000,1000000] [--spawn 1000,10000,100000,1000000] [--cases idle,ring,fanout]
    [--ram 1024] [--old DIR [--old-engines]]
  --runs N      runs per engine; medians are reported
  --engines L   any of node, hosted, native (make -C qemu native), metal (QEMU), beam (erl: the spawn, ring and fan-out cases only)
  --tables L    table sizes (entries); '' for none
  --spawn L     idle process counts; '' for none
  --cases L     what runs at each count: idle (spawn and bytes), ring, fanout (default all)
  --ram MiB     the RAM hosted, native and metal run with (default 1024: 1M idle processes must fit)
  --old DIR     also run the kernel of the checkout at DIR (git worktree add --detach DIR <commit>),
                in turns with this one on the same engines; its columns are ENGINE:old
  --old-engines with --old: ENGINE:old runs on DIR's engines (DIR's qemu/build, made there), by
                DIR's own scale.ts, one run at a time in the same turns
Results: a table here and bench/results/scale.json.`;

const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}
const oldEngines = argv.includes('--old-engines');
if (oldEngines) argv.splice(argv.indexOf('--old-engines'), 1);
const known = new Set(['--runs', '--engines', '--tables', '--spawn', '--cases', '--ram', '--old']);
for (let i = 0; i < argv.length; i += 2) {
  if (!known.has(argv[i]!) || argv[i + 1] === undefined) {
    console.error(`scale: unknown or incomplete argument ${argv[i]}\n${USAGE}`);
    process.exit(2);
  }
}
const arg = (name: string, dflt: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : dflt;
};
const list = (s: string): number[] => s.split(',').filter((x) => x !== '').map(Number);
const runs = Number(arg('runs', '3'));
const engines = arg('engines', 'node,hosted,native,beam').split(',');
const CASES = ['idle', 'ring', 'fanout'];
const cases = arg('cases', CASES.join(',')).split(',').filter((c) => c !== '');
for (const c of cases) {
  if (!CASES.includes(c)) {
    console.error(`scale: unknown case ${c} (${CASES.join(', ')})`);
    process.exit(2);
  }
}
const sizes = { tables: list(arg('tables', '10000,100000,300000,1000000')), spawn: list(arg('spawn', '1000,10000,100000,1000000')), cases };
const ramBytes = Number(arg('ram', '1024')) * (1 << 20);
if (![runs, ramBytes, ...sizes.tables, ...sizes.spawn].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('scale: --runs, --ram and the sizes must be positive integers');
  process.exit(2);
}

function runBeam(): Results {
  if (sizes.spawn.length === 0) return {};
  const dir = mkdtempSync(join(tmpdir(), 'mote-bench-erl-'));
  execFileSync('erlc', ['-o', dir, join(MOTE_ROOT, 'bench/kernel/scale.erl')]);
  // +P: room for the largest count (BEAM's default limit is 262,144 processes).
  const out = execFileSync('erl', ['+P', String(Math.max(...sizes.spawn) * 2 + 1024), '-noshell', '-pa', dir, '-eval', `scale:main([${sizes.spawn.join(',')}], [${cases.join(',')}])`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return parse(out);
}

const oldRoot = arg('old', '');
if (oldRoot && !existsSync(join(oldRoot, 'kernel/index.ts'))) {
  console.error('scale: --old must name a checkout with a kernel/ (git worktree add --detach DIR <commit>)');
  process.exit(2);
}
if (oldEngines && (!oldRoot || !existsSync(join(oldRoot, 'bench/kernel/scale.ts')))) {
  console.error('scale: --old-engines needs --old DIR, a checkout with bench/kernel/scale.ts and its engines built');
  process.exit(2);
}

/** One run of `engine` by the old checkout's own scale.ts: its kernel on its engines. */
function runOldCheckout(engine: string): Results {
  const out = join(oldRoot, 'bench/results/scale.json');
  execFileSync(process.execPath, [join(MOTE_ROOT, 'node_modules/vite-node/vite-node.mjs'), join(oldRoot, 'bench/kernel/scale.ts'),
    '--runs', '1', '--engines', engine, '--tables', sizes.tables.join(','), '--spawn', sizes.spawn.join(','), '--ram', String(ramBytes >> 20)],
  { cwd: oldRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  return (JSON.parse(readFileSync(out, 'utf8')) as { raw: Record<string, Results[]> }).raw[engine]![0]!;
}
const define = { SCALE_SIZES: JSON.stringify(sizes) };
const bundleAt = async (root: string) => ({ iife: await bundleFixture('scale.ts', define, 'iife', root), esm: await bundleFixture('scale.ts', define, 'esm', root) });
const kernels: [string, { iife: string; esm: string }][] = [['', await bundleAt(MOTE_ROOT)]];
if (oldRoot) kernels.push([':old', await bundleAt(oldRoot)]);
const columns = engines.flatMap((e) => (e === 'beam' ? [e] : kernels.map(([tag]) => e + tag)));
const all: Record<string, Results[]> = {};
for (let i = 0; i < runs; i++) {
  // In turns (old, new, then new, old...), so that a busy machine slows both alike.
  const turn = i % 2 ? [...kernels].reverse() : kernels;
  for (const e of engines) {
    for (const [tag, bundle] of e === 'beam' ? [['', null] as const] : turn) {
      const t0 = performance.now();
      let r: Results;
      try {
        r = bundle === null ? runBeam() : tag === ':old' && oldEngines ? runOldCheckout(e) : await runOn(e, bundle, ramBytes);
      } catch (err) {
        // One line a report can quote (the run's own output names the cause: 101 is out of memory).
        const text = err instanceof Error ? err.message : String(err);
        console.error(`scale: ${e + tag} failed: ${text.split('\n').filter((l) => l.trim() !== '').slice(0, 3).join(' / ').slice(0, 400)}`);
        process.exit(1);
      }
      (all[e + tag] ??= []).push(r);
      console.error(`run ${i + 1}/${runs} ${e + tag}: ${Math.round(performance.now() - t0)} ms`);
    }
  }
}

const names = [...new Set(columns.flatMap((e) => all[e]!.flatMap((r) => Object.keys(r))))];
const table: Record<string, Record<string, number | string>> = {};
for (const n of names) {
  const unit = columns.map((e) => all[e]![0]![n]?.unit).find((u) => u !== undefined)!;
  const row: Record<string, number | string> = { unit };
  for (const e of columns) {
    const xs = all[e]!.map((r) => r[n]?.value).filter((v): v is number => v !== undefined);
    if (xs.length > 0) row[e] = median(xs);
  }
  table[n] = row;
}
console.table(table);
const outDir = join(MOTE_ROOT, 'bench/results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'scale.json'), JSON.stringify({ runs, sizes, engines, old: oldRoot || null, ramBytes, medians: table, raw: all }, null, 2));
console.log('written bench/results/scale.json');
