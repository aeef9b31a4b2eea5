// The kernel's workloads against two kernels in one run: this checkout's and
// another's (a git worktree of the commit to compare with), bundled from the
// same workloads file and run in turns (old, new, then new, old...) on the
// same engines, each side on its own checkout's hosts (the platform ABI may
// differ), so that a busy machine slows both alike. Prints medians and
// bests of each workload and the CPU time each run took (this process's
// user + system time: it waits for no other process, so it is the steadier
// figure on a shared machine; not for native, a process of its own).
// `native` runs each side's own qemu/build/mote-native on an image packed
// with that side's boot layer and module compiler (`make -C qemu native`
// in both checkouts).
//   git worktree add --detach /tmp/kernel-old <commit>
//   npx vite-node bench/kernel/side-by-side.ts --old /tmp/kernel-old [--runs 5] [--scale 0.2] [--engines node,hosted,native]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { MOTE_ROOT } from '../../builder/paths.ts';
import { bundleWorkloads, workloadSizes } from './workloads.ts';
import { readFlags } from '../flags.ts';

const HELP = `usage: npx vite-node bench/kernel/side-by-side.ts --old DIR [--runs 5] [--scale 0.2] [--engines node,hosted,native]
  --old DIR      the checkout to compare with (git worktree add --detach /tmp/kernel-old <commit>)
  --runs N       runs per side, in turns; medians and bests are reported
  --scale X      workload sizes times X
  --engines L    any of node, hosted, native (make -C qemu native in both checkouts)`;
const flags = readFlags(HELP, ['old', 'runs', 'scale', 'engines']);
const oldRoot = flags.text('old', '');
if (!oldRoot || !existsSync(join(oldRoot, 'kernel/index.ts'))) {
  console.error('side-by-side: --old must name a checkout with a kernel/ (git worktree add --detach /tmp/kernel-old <commit>)');
  process.exit(2);
}
const runs = flags.number('runs', 5);
const scale = flags.number('scale', 0.2);
const engines = flags.list('engines', 'node,hosted');
const unknown = engines.filter((e) => !['node', 'hosted', 'native'].includes(e));
if (unknown.length > 0) {
  console.error(`side-by-side: unknown engine ${unknown.join(', ')} (node, hosted, native)`);
  process.exit(2);
}
const sizes = workloadSizes(scale);
const kernels = { old: oldRoot, new: MOTE_ROOT };
type Side = keyof typeof kernels;

function parse(out: string): Record<string, number> {
  const r: Record<string, number> = {};
  for (const m of out.matchAll(/^BENCH (.*)$/gm)) {
    const j = JSON.parse(m[1]!) as { name: string; value: number };
    r[j.name] = j.value;
  }
  return r;
}

interface Hosts {
  root: string;
  runHosted: typeof import('../../builder/hosted/index.ts').runHosted;
  createNodeHost: typeof import('../../tests/support/node-host.ts').createNodeHost;
  pack: typeof import('../../builder/pack.ts');
  writeImage: typeof import('../../builder/image.ts').writeImage;
  writeTar: typeof import('../../builder/tar.ts').writeTar;
}

/** A checkout's own hosted runner, node host and image packing. */
async function hostsOf(root: string): Promise<Hosts> {
  const { runHosted } = await import(join(root, 'builder/hosted/index.ts'));
  const { createNodeHost } = await import(join(root, 'tests/support/node-host.ts'));
  const pack = await import(join(root, 'builder/pack.ts'));
  const { writeImage } = await import(join(root, 'builder/image.ts'));
  const { writeTar } = await import(join(root, 'builder/tar.ts'));
  return { root, runHosted, createNodeHost, pack, writeImage, writeTar };
}

async function runNode({ createNodeHost }: Hosts, code: string): Promise<Record<string, number>> {
  const host = createNodeHost();
  const ctx = createContext({ __mote: host.platform, console: undefined });
  const r = await host.run(() => runInContext(code, ctx));
  if (r.code !== 0) throw new Error(`node run failed (${r.code}): ${r.output}`);
  return parse(r.output);
}

async function runQuickJS({ runHosted }: Hosts, code: string): Promise<Record<string, number>> {
  const bytes = new TextEncoder().encode(code);
  const manifest = { format: 1, name: 'bench', version: '0.0.0', entry: 'main.js', modules: [{ name: 'main.js', size: bytes.length, priority: 0 }] };
  const r = await runHosted({ manifest, files: new Map([['main.js', bytes]]) }, { memoryBytes: 1024 << 20, timeoutMs: 600_000 });
  if (r.status !== 0) throw new Error(`hosted run failed (${r.status}): ${r.output}`);
  return parse(r.output);
}

/** The side's image (its boot layer, its bytecode) on its own native engine,
 *  with the budget metal has at 1 GiB, as run.ts's native engine runs it. */
async function runNative(h: Hosts, code: string): Promise<Record<string, number>> {
  const bytes = new TextEncoder().encode(code);
  const manifest = { format: 1, name: 'bench', version: '0.0.0', entry: 'main.js', modules: [{ name: 'main.js', size: bytes.length, priority: 0 }] };
  const tar = await h.writeTar([
    ['manifest.json', new TextEncoder().encode(JSON.stringify(manifest))],
    ['main.js', bytes],
    ['main.js.qbc', h.pack.compileModule(join(h.root, 'qemu/build/mote-qjsc'), 'main.js', bytes)],
  ]);
  const image = join(mkdtempSync(join(tmpdir(), 'mote-side-by-side-')), 'bench.img');
  writeFileSync(image, h.writeImage(readFileSync(join(h.root, 'qemu/build/mote-boot.elf')), tar));
  return parse(execFileSync(join(h.root, 'qemu/build/mote-native'), [image, '--ram', '1024M'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
}

const code = {} as Record<Side, { iife: string; esm: string }>;
const hosts = {} as Record<Side, Hosts>;
for (const side of ['old', 'new'] as const) {
  code[side] = { iife: await bundleWorkloads(sizes, 'iife', kernels[side]), esm: await bundleWorkloads(sizes, 'esm', kernels[side]) };
  hosts[side] = await hostsOf(kernels[side]);
}

/** Every value of every workload: results[engine workload][side]. */
const results: Record<string, Record<Side, number[]>> = {};
for (let i = 0; i < runs; i++) {
  for (const engine of engines) {
    for (const side of i % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const)) {
      const cpu0 = process.cpuUsage();
      const r = engine === 'node' ? await runNode(hosts[side], code[side].iife)
        : engine === 'native' ? await runNative(hosts[side], code[side].esm)
          : await runQuickJS(hosts[side], code[side].esm);
      const cpu = process.cpuUsage(cpu0);
      if (engine !== 'native') r.cpu_ms_per_run = (cpu.user + cpu.system) / 1000;
      for (const [name, v] of Object.entries(r)) (results[`${engine} ${name}`] ??= { old: [], new: [] })[side].push(v);
      console.error(`run ${i + 1}/${runs} ${engine} ${side}`);
    }
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number): number => Math.round(x * 100) / 100;
console.table(
  Object.entries(results).map(([workload, v]) => ({
    workload,
    old: round(median(v.old)),
    new: round(median(v.new)),
    'new/old': round(median(v.new) / median(v.old)),
    'old range': `${round(Math.min(...v.old))}..${round(Math.max(...v.old))}`,
    'new range': `${round(Math.min(...v.new))}..${round(Math.max(...v.new))}`,
  })),
);
