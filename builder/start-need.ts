// The heap an app needs to start, as `mote build` measures it: the manifest
// carries it (memory.start) and every host refuses to boot below it, as
// below a declared `min` (host.c's check_declared_memory: status 107 and one
// line saying how much more RAM it needs). Without it an app started on a
// heap too small for its own modules, then died with 100 or 101, or ran
// where `mote inspect` said it would be refused (issue 9's sweep).
//
// The figure is what the wasm engine measures (hosted/measure.ts: the
// runtime, the context and each module loaded, not run), scaled to metal,
// plus a workspace for what the app allocates as it starts, plus the
// network's heap when the app's code opens a socket. The scale
// covers two things loading does not show: metal's larger objects (8-byte
// pointers and values where wasm32 has 4; heap in use after the top level,
// metal over wasm: 1.23 for an app of 3,000 functions, 1.22 for hello) and
// what a module's top level makes (a function object each, and esbuild's
// getter for each of a namespace's exports: an app of 3,000 exported
// functions imported as `* as F` needs about 3,640 KiB on metal, 2.06 times
// the 1,765 KiB its loading measures; tests/cli/start-need.test.ts). The
// workspace is fitted to the least RAM at which each image in images/ runs
// on metal with the sweep's parameters (tests/sweep/plan.ts, 16K steps),
// heap there against measured, net heap taken off: aco 663K over 281K
// (2.1 x + 160K covers it by 87K), chaos 727K/388K, http 639K/375K, echo
// 487K/293K, shell 899K/659K (hello, countdown, orbit and lazy ran at the
// least RAM the boot layer takes). It is conservative for most (shell by
// about 800K): a measured run of the start (hosted, times metal's 1.23)
// would be tighter. What an app allocates as it runs beyond that is not
// seen: an app declares it (mote.memory).
import type { BootFootprint, Manifest, ManifestModule } from '../kernel/platform.ts';
import { measureModules } from './hosted/measure.ts';
import { readImage } from './image.ts';

/** Metal's heap for the wasm engine's measured heap (modules and baseline). */
export const METAL_FACTOR = 2.1;
/** Heap beyond the loaded modules for the app's start: the kernel's first
 *  processes and tables, what the app allocates at load, the GC's slack. */
export const WORKSPACE = 160 * 1024;

/** A call that starts the network (host_net.c's start_once), as the kernel's
 *  socket table makes it (`platform().net.listen(`) or an app on the
 *  platform alone (`__mote.net.connect(`). The socket table itself is in
 *  every bundle (the deadlock notice asks it whether a socket is open), its
 *  calls only where gen_tcp or gen_udp opens a socket. */
const NETWORK_CALL = /\bnet\.(?:listen|connect|udpOpen|address)\(/;

/** Whether the bundle's code may start the network, and so pay its heap. */
export function startsNetwork(files: Array<[string, Uint8Array]>): boolean {
  return files.some(([, code]) => NETWORK_CALL.test(new TextDecoder().decode(code)));
}

/** The heap an app needs to start on metal: `loaded` is what the wasm
 *  engine measured (baseline and the counted modules), `network` whether
 *  its code may start the network. */
export function startNeed(loaded: number, network: boolean, boot: BootFootprint | undefined): number {
  return Math.ceil(loaded * METAL_FACTOR) + WORKSPACE + (network ? (boot?.netDevice ?? 0) : 0);
}

/** The modules a start need counts: those the entry loads with it
 *  (priority 0). One loaded later (an import()ed chunk, kernel/optional.ts)
 *  may fail to load and leave the app degraded, which is not a refusal. */
export function countedModules<M extends ManifestModule>(modules: M[]): M[] {
  return modules.filter((m) => m.priority === 0);
}

/** Measures an image's start need: its modules are loaded, never run. */
export async function measureStartNeed(image: Uint8Array, network: boolean): Promise<number> {
  const { manifest, files } = await readImage(image);
  const measured = await measureModules(manifest.modules, files);
  const loaded = measured.baseline + countedModules(manifest.modules).reduce((n, m) => n + (measured.costs.get(m.name) ?? 0), 0);
  return startNeed(loaded, network, manifest.boot);
}

/** The manifest with its measured start need. */
export function withStartNeed(manifest: Manifest, start: number): Manifest {
  return { ...manifest, memory: { ...manifest.memory, start } };
}
