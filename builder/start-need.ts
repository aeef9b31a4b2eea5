// The heap an app needs to start, as `mote build` measures it: the manifest
// carries it (memory.start) and every host refuses to boot below it, as
// below a declared `min` (host.c's check_declared_memory: status 107 and one
// line saying how much more RAM it needs). Without it an app started on a
// heap too small for its own modules, then died with 100 or 101, or ran
// where `mote inspect` said it would be refused (issue 9's sweep).
//
// The figure is what the wasm engine measures (hosted/measure.ts: the
// runtime, the context and each module loaded, not run), scaled, plus a
// workspace for what the app allocates as it starts, plus the network's heap
// when the app's code opens a socket. The wasm64 engine's objects are
// metal's, byte for byte; the scale covers what loading does not show: what
// a module's top level makes (a function object each, and esbuild's getter
// for each of a namespace's exports). Fitted to the least RAM at which each
// image in images/ runs on metal (QEMU) with the sweep's parameters
// (tests/sweep/plan.ts, 16K steps; built with no start need), heap there
// against measured, net heap taken off: aco 828K over 374K, chaos 844K/514K,
// http 780K/491K, echo 622K/387K, shell 1,005K/833K, and
// tests/cli/start-need.test.ts's app of 3,000 exported functions imported
// as `* as F` 3,678K/2,147K (hello, countdown, lazy and orbit ran at the
// least RAM the boot layer takes). 1.7 x + 224K covers aco, the tightest,
// by 32K and the 3,000 functions by 195K.
import type { BootFootprint, Manifest, ManifestModule } from '../kernel/platform.ts';
import { measureModules } from './hosted/measure.ts';
import { readImage } from './image.ts';

/** Metal's heap for the wasm engine's measured heap (modules and baseline). */
export const METAL_FACTOR = 1.7;
/** Heap beyond the loaded modules for the app's start: the kernel's first
 *  processes and tables, what the app allocates at load, the GC's slack. */
export const WORKSPACE = 224 * 1024;

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
