// bench/REPORT.md from one run's data (bench/results/report.json): tables
// with each figure beside its reference and the ratio, links to the plots,
// and every figure that could not be measured, with the reason.
import type { AcoSection } from './aco-step.ts';
import type { BootSection } from './boot-step.ts';
import type { ImageRow } from './images-step.ts';
import type { Machine } from './machine.ts';
import { ONCE_FROM, type ScaleSection } from './scale-step.ts';

export interface KernelResult {
  runs: number; scale: number; engines: string[];
  medians: Record<string, Record<string, number | string>>;
}
export interface OrbitResult {
  space: number; workers: number; size: number; runs: number; memory: string; beamSchedulers: number; engines: string[];
  medians: Record<string, { sequential: number; parallel: number; sequentialVsBeam?: number; parallelVsBeam?: number }>;
}
export interface ReportData {
  date: string;
  command: string;
  elapsedMs: number;
  machine: Machine;
  loadAfter: number[];
  runs: number;
  images?: ImageRow[];
  boot?: BootSection;
  kernel?: KernelResult;
  scale?: ScaleSection;
  orbit?: OrbitResult;
  aco?: AcoSection;
  extras: Record<string, string>;
  missing: string[];
  plots: Record<string, string>;
}

/** How many times worse than BEAM engine `e` is on a workload (slower, or
 *  more bytes per process), from the medians; 1 is BEAM. */
export function timesBeam(r: Record<string, number | string>, e: string): number {
  const v = r[e] as number;
  const b = r.beam as number;
  return /bytes|us\//.test(String(r.unit)) ? v / b : b / v;
}

const ms = (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : 'missing');
// A figure of 0 is one that was never measured (no run finished), not a zero.
const ratio = (a: number, b: number) => (a > 0 && b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : 'missing');
const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
const mib = (b: number) => `${(b / (1 << 20)).toFixed(2)} MiB`;
const num = (x: number | string | undefined) => (typeof x === 'number' && Number.isFinite(x) ? (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3)) : 'missing');
const table = (head: string[], rows: string[][]) => [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

function machine(d: ReportData): string {
  const m = d.machine;
  return `## The machine

${table(['', ''], [
  ['CPU', m.cpu], ['cores', String(m.cores)], ['QEMU', m.qemu], ['accelerator', `${m.accel} (${m.kvmNote})`],
  ['hosted engine', m.hostedEngine === 'emscripten' ? 'quickjs-emscripten (before it was retired)' : 'wasm (the boot layer\'s QuickJS and C host core in WebAssembly)'], ['OTP', m.otp ? `OTP ${m.otp}, ERTS ${m.erts}` : 'missing (erl not found)'], ['Node', m.node],
  ['load average (1, 5, 15 min)', `before ${m.loadBefore.map((x) => x.toFixed(1)).join(', ')}; after ${d.loadAfter.map((x) => x.toFixed(1)).join(', ')}`],
])}

The load average counts runnable processes on all ${m.cores} cores: above ${m.cores} the machine was shared (other sessions'
builds, tests and QEMU runs went on during the run) and every
process, the references too, waited for a core. That is why each figure is set beside a reference measured in the same
run, alternating with it, and why the ratios are the figures to read, not the milliseconds.`;
}

/** A measured minimum beside its prediction: "2.38 MiB (2.20 predicted)". */
function minimum(measured: number | null | undefined, predicted: number, top: string): string {
  if (measured === undefined) return `${mib(predicted)} (predicted; not measured)`;
  if (measured === null) return `missing: did not run at ${top} (${(predicted / (1 << 20)).toFixed(2)} predicted)`;
  return `${mib(measured)} (${(predicted / (1 << 20)).toFixed(2)} predicted)`;
}

function images(rows: ImageRow[], plot: string): string {
  const measured = rows.some((r) => r.measured);
  const jobs = rows.filter((r) => Object.keys(r.env).length).map((r) => `${r.name} ${Object.entries(r.env).map(([k, v]) => `${k}=${v}`).join(' ')}`).join('; ');
  return `## Per image

Each image in \`images/\` as \`mote build\` builds it. ${measured ? `Boot minimum: the least RAM at which the image boots and runs its job to
its end (or, for a server, to its ready line), degraded or not; full minimum: the least at which it runs fully (\`mote budget\`'s
classes: no "mote: degraded" line, the status it ends with when all goes well). Both measured on QEMU (TCG, microvm), searched
in 64 KiB steps (\`bench/report/ram-minimums.ts\`: a bisection over \`mote budget\`'s runs), beside \`mote inspect\`'s predictions
(an app that declares \`mote.memory\` gets its declaration).` : `Boot and full minimum are \`mote inspect\`'s predictions (the RAM
below which the image is refused, and at which it runs fully; an app that declares \`mote.memory\` gets its declaration).`}
Launch to first output is QEMU's (TCG, microvm, -m 16M), median of ${rows[0]?.firstOutputMs.length ?? 0}, alternating with the floor (an
empty kernel that powers off at once) launched to its exit. Images whose first line is a result run a small job${measured ? ', for the minimums too' : ''}: ${jobs}.

${table(['image', 'size', 'boot minimum', 'full minimum', 'launch to first output', 'floor', 'first output ÷ floor'], rows.map((r) => [
  r.name, kib(r.bytes), minimum(r.measured?.bootMinBytes, r.bootMinBytes, '64 MiB'), minimum(r.measured?.fullMinBytes, r.fullMinBytes, '64 MiB'), `${ms(r.medians.firstOutputMs)} ms`, `${ms(r.medians.floorMs)} ms`, ratio(r.medians.firstOutputMs, r.medians.floorMs),
]))}

![boot time by image](${plot})`;
}

function boot(b: BootSection, plot: string): string {
  const rows: string[][] = [];
  for (const [name, m] of Object.entries(b.machines)) {
    rows.push([name, `${ms(m.medians.floorMs)} ms`, `${ms(m.medians.helloMs)} ms`, ratio(m.medians.helloMs, m.medians.floorMs),
      m.linuxMs.length ? `${ms(m.medians.linuxMs)} ms (${m.linuxMs.length} of ${b.runs})` : 'missing: no boot finished', ratio(m.medians.linuxMs, m.medians.helloMs),
      `${m.linuxHangs} of ${b.runs}${m.linuxSilent ? `, ${m.linuxSilent} without the line` : ''}`]);
  }
  const mem: string[][] = Object.entries(b.machines).map(([name, m]) => [name, `${(m.helloSmallestBytes / 1024).toFixed(0)} KiB`,
    m.linuxSmallestMiB === null ? (m.linuxMs.length ? `missing: no hello line at ${b.linuxMaxMiB} MiB${m.linuxSmallestHangs ? ` (${m.linuxSmallestHangs} hangs)` : ''}` : 'missing: not searched, no timed boot got through') : `${m.linuxSmallestMiB} MiB${m.linuxSmallestHangs ? ` (${m.linuxSmallestHangs} probes hung, counted as not printing)` : ''}`,
    m.linuxSmallestMiB === null ? 'missing' : ratio(m.linuxSmallestMiB * (1 << 20), m.helloSmallestBytes)]);
  const linuxBytes = b.linuxKernelBytes + b.linuxInitrdBytes;
  return `## Boot: mote against a minimal Linux VM

QEMU launch to exit under the same QEMU and accelerator (TCG), median of ${b.runs}, the three alternating within each run:
the floor (an empty kernel that powers off at once), mote's \`images/hello\`, and Debian's kernel (\`linux-image-amd64\`)
booting an initramfs whose \`/init\` runs the static \`qjs\` (the same QuickJS 2021-03-27 sources, musl, built by
\`bench/linux-vm/setup.sh\`) on a one-line \`hello.js\`, then \`poweroff -f\` (\`bench/report/linux-hello.sh\`). Linux runs at -m 256M,
mote at -m 8M. ${b.linuxCommandLine ? `Both machines are plain (\`-M microvm\`, \`-M pc\`, as mote gets) and the kernel's command line is
\`${b.linuxCommandLine}\`: on microvm, which has no HPET or ACPI PM timer, Debian's 6.1 hung in \`calibrate_delay()\`
whenever its TSC calibration against the PIT failed (most boots on a busy machine), so it is told the TSC's rate (TCG's guest TSC
is the host's; \`bench/linux-vm/tsc-khz.c\` measures it) and not to check the TSC against jiffies.` : 'It got `-M microvm,pit=on,pic=on,rtc=on` and no TSC rate, which hung on a busy machine.'}
Every Linux boot is cut off after ${b.linuxTimeoutMs / 1000} s and counted as a hang, not timed.

${table(['machine', 'floor', 'mote hello', 'hello ÷ floor', 'Linux hello', 'Linux ÷ mote', 'Linux hangs'], rows)}

Kernel plus initrd: Linux ${mib(linuxBytes)} (${mib(b.linuxKernelBytes)} + ${mib(b.linuxInitrdBytes)}), mote ${mib(b.helloBytes)} (one image), ${ratio(linuxBytes, b.helloBytes)}.

The smallest -m at which each prints its hello line (mote in 64 KiB steps, Linux in 1 MiB steps):

${table(['machine', 'mote hello', 'Linux hello', 'Linux ÷ mote'], mem)}

![boot against Linux](${plot})`;
}

/** The boot figures the tables mark missing, with why. */
function bootMissing(b: BootSection): string[] {
  const out: string[] = [];
  for (const [name, m] of Object.entries(b.machines)) {
    if (m.linuxHangs) out.push(`${m.linuxHangs} of ${b.runs} Linux boots on ${name} hung (no exit within ${b.linuxTimeoutMs / 1000} s)${m.linuxMs.length ? `: the median is of the ${m.linuxMs.length} that finished` : ''}`);
    if (!m.linuxMs.length) out.push(`Linux's launch to exit on ${name}: no boot finished`);
    if (m.linuxSmallestMiB === null) out.push(`Linux's smallest -m on ${name}: ${m.linuxMs.length ? `the search's first boot, at ${b.linuxMaxMiB} MiB, ${m.linuxSmallestHangs ? 'hung' : 'printed no hello line'}` : 'not searched, no timed boot got through'}`);
  }
  return out;
}

function kernel(k: KernelResult, plot: string | undefined): string {
  const engines = k.engines.filter((e) => e !== 'beam');
  const hasBeam = k.engines.includes('beam');
  const rows = Object.entries(k.medians).map(([name, r]) => [name, String(r.unit), ...k.engines.map((e) => num(r[e])),
    ...(hasBeam ? engines.map((e) => (Number.isFinite(timesBeam(r, e)) ? `${timesBeam(r, e).toPrecision(3)}×` : 'missing')) : [])]);
  return `## The actor micro-benchmarks against BEAM

\`bench/kernel/run.ts\` at scale ${k.scale} (the workloads of issue 3 times ${k.scale}; selective receive runs at least 1,000 receives behind its 10k queued,
as its first receive's scan of all 10k would be most of a smaller run), median of ${k.runs}; each run runs every engine
once in turn: node (the kernel on V8, the test host), hosted (\`mote run\`'s engine, named above), native (the boot layer's C host
and QuickJS built as a Linux program, \`qemu/build/mote-native\`: what metal under real KVM approaches), metal (the boot layer under
QEMU, TCG) and BEAM (\`erl\`). The ratios are how many times slower than BEAM (for bytes per process: how many times more memory), so 1
is BEAM's figure and more is worse.${hasBeam ? '' : '\n\n**BEAM: missing** (see below): no ratios.'}

${table(['workload', 'unit', ...k.engines, ...(hasBeam ? engines.map((e) => `${e} vs BEAM`) : [])], rows)}
${plot ? `\n![throughput by workload against BEAM](${plot})` : ''}`;
}

function scale(s: ScaleSection): string {
  const others = s.engines.filter((e) => e !== 'beam');
  const hasBeam = s.engines.includes('beam');
  // BEAM has no table case, nor a figure for a body not yet started: a dash there, not "missing".
  const rows = Object.entries(s.medians).map(([name, r]) => [name, String(r.unit), ...s.engines.map((e) => (e === 'beam' && r[e] === undefined ? '–' : num(r[e]))),
    ...(hasBeam ? others.map((e) => (r.beam !== undefined && Number.isFinite(timesBeam(r, e)) ? `${timesBeam(r, e).toPrecision(3)}×` : '')) : [])]);
  const failed = Object.entries(s.failures);
  return `## Scale: tables to ${Math.max(...s.tableSizes, 0).toLocaleString('en')} entries, up to ${Math.max(...s.spawnSizes, 0).toLocaleString('en')} processes

\`bench/kernel/scale.ts\` (its fixture is \`bench/kernel/fixtures/scale.ts\`, BEAM's \`bench/kernel/scale.erl\`), median of ${s.runs}, at ${s.ramMiB} MiB
of RAM for hosted, native and metal. Tables: ets insert and lookup of N number keys beside a plain \`Map\`'s set and get on the
same engine (\`_per_map\` is ets ÷ Map, 1 is the Map's rate). Processes: N idle async bodies waiting in \`receive\` (µs per
spawn call, \`spawn_idle_us\`; µs per process from the first spawn until the last has run, \`spawn_ready_us\`, the one timed alike
on both, as BEAM's preemption runs its bodies during the spawn loop and mote's one-slice loop starts none; heap bytes per process
once all wait, and per process spawned but not yet started), then a token around a ring of N
(hops/s) and a fan-out to all N that each answer (messages/s, both ways counted). Each case at each count runs on each engine
by itself; at ${ONCE_FROM.toLocaleString('en')} processes and more, once. The ratios are how many times worse than BEAM (slower, or more bytes
per process).

${table(['workload', 'unit', ...s.engines, ...(hasBeam ? others.map((e) => `${e} vs BEAM`) : [])], rows)}
${failed.length ? `\nNot measured (the run stopped):\n\n${failed.map(([k, why]) => { const [e, n, c] = k.split(' '); return `- ${c} on ${e} at ${Number(n).toLocaleString('en')} processes: ${why}`; }).join('\n')}` : ''}`;
}

function orbit(o: OrbitResult): string {
  const rows = o.engines.map((e) => { const m = o.medians[e]!; return [e, `${ms(m.sequential)} ms`, m.sequentialVsBeam === undefined ? 'missing' : `${m.sequentialVsBeam.toFixed(1)}×`, `${ms(m.parallel)} ms`, m.parallelVsBeam === undefined ? 'missing' : `${m.parallelVsBeam.toFixed(1)}×`]; });
  return `## Orbit

\`bench/orbit/run.ts\`: \`images/orbit\` on g124 over [0..${o.space}) (orbit size ${o.size}), sequential and parallel with P=${o.workers},
hosted (\`mote run\`) and on metal (\`mote boot\`, TCG) at -m ${o.memory}, against \`bench/orbit/orbit.erl\` on BEAM (\`erl +S ${o.beamSchedulers}\`:
one scheduler, as mote has one core) with the same generators and space; engines alternate within each run, median of ${o.runs};
times are what each reports for its own computation. Ratios: times slower than BEAM.

${table(['engine', 'sequential', 'vs BEAM', 'parallel', 'vs BEAM'], rows)}`;
}

function aco(a: AcoSection): string {
  const rows = Object.entries(a.hosts).map(([h, x]) => [`mote ${h}`, String(x.best), `${ms(x.medians.searchMs)} ms`, `${ms(x.medians.wallMs)} ms`, `${ms(x.medians.helloWallMs)} ms`, ratio(x.medians.wallMs, x.medians.helloWallMs)]);
  return `## ACO

\`images/aco\` (SMTWTP on an OR-Library wt40-format instance) with ${Object.entries(a.env).map(([k, v]) => `${k}=${v}`).join(' ')} at -m ${a.memory}, through the CLI, median of
${a.runs}, alternating with hello through the same command. Search is the time the image reports for its rounds; launch to exit is
the whole command's. There is no BEAM ACO in this repository to set beside it, so its reference is hello on the same host.

${table(['host', 'best tardiness', 'search', 'launch to exit', 'hello launch to exit', 'ACO ÷ hello'], rows)}`;
}

export function renderReport(d: ReportData): string {
  const parts = [
    `# mote: benchmark report

Written by \`npm run bench\` (\`bench/report.ts\`) from one run: \`${d.command.replace(/ --$/, '')}\`, ${d.date}, ${(d.elapsedMs / 60000).toFixed(1)} min.
Every figure is a median over several runs, with its reference measured in the same run, alternating with it; the ratios
are the figures to compare. Raw runs: \`bench/REPORT.json\`. Bigger runs: \`npm run bench -- --help\`. The plots are SVG drawn
by Observable Plot (\`@observablehq/plot\`) into linkedom's DOM, no browser: measured here, it installs in 15.6 MB with linkedom,
against 25 MB for vega with vega-lite (whose Node run once did not exit) and 68 MB for echarts, for the same bar chart.`,
    machine(d),
  ];
  if (d.images) parts.push(images(d.images, d.plots.images!));
  if (d.boot) parts.push(boot(d.boot, d.plots.boot!));
  if (d.kernel) parts.push(kernel(d.kernel, d.plots.kernel));
  if (d.scale) parts.push(scale(d.scale));
  if (d.orbit) parts.push(orbit(d.orbit));
  if (d.aco) parts.push(aco(d.aco));
  for (const [name, out] of Object.entries(d.extras)) parts.push(`## ${name} (its own output)\n\n\`\`\`\n${out.trim()}\n\`\`\``);
  const unmeasured = (d.images ?? []).flatMap((r) => (r.measured && (r.measured.bootMinBytes === null || r.measured.fullMinBytes === null)
    ? [`${r.name}'s ${r.measured.fullMinBytes === null ? 'full' : 'boot'} minimum: it did not run ${r.measured.fullMinBytes === null ? 'fully ' : ''}at 64 MiB (${r.measured.failures.at(-1) ?? ''})`] : []));
  const missing = [...d.missing, ...unmeasured, ...(d.boot ? bootMissing(d.boot) : [])];
  parts.push(`## Not measured\n\n${missing.length ? missing.map((m) => `- ${m}`).join('\n') : 'Nothing: every section above was measured in this run.'}`);
  return parts.join('\n\n') + '\n';
}
