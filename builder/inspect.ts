// `mote inspect`: an image's memory map, in the spirit of Ling's (boot layer
// code and data, stack, QuickJS's baseline heap, each module with its size in
// the image and its heap cost when loaded, reserved areas), and two predicted
// figures: the least RAM that boots to a working console, and the least RAM
// that runs the app fully. `mote budget` checks runs against these figures.
import type { Manifest, ManifestModule } from '../kernel/platform.ts';
import { bootFootprintOf, FIRMWARE_HOLES, hostedMemory, refusedBelow, smallestBudgetFor } from './hosted/ram-model.ts';
import { measureModules } from './hosted/measure.ts';
import { readImage, type Image } from './image.ts';
import { countedModules, METAL_FACTOR, startNeed, WORKSPACE } from './start-need.ts';

/** Predictions are rounded up to this. */
const ROUND = 64 * 1024;

export type Outcome = 'full' | 'degraded' | 'refused' | 'crashed';

export interface MapRow {
  area: string;
  bytes: number;
  /** Where the bytes live: the image file, RAM only, or the heap. */
  kind: 'image' | 'ram' | 'heap';
}

export interface ModuleReport extends ManifestModule {
  /** Heap bytes the compiled module holds, measured hosted (wasm32). */
  heapCost: number;
  error?: string;
}

export interface Prediction {
  /** Below this RAM the boot layer refuses to start (status 107). */
  refusedBelow: number;
  /** Least RAM that boots to a working console: the entry and everything of priority 0. */
  bootMin: number;
  /** Least RAM that runs the app fully: every module and the memory it declares. */
  fullMin: number;
  /** Each optional module with a declared need (mote.memory.optional), in
   *  the order listed: the least RAM at which it loads (kernel/optional.ts). */
  optional: Array<{ name: string; need: number; loadsFrom: number }>;
}

export interface InspectReport {
  name: string;
  version: string;
  format: number;
  entry: string;
  imageBytes: number;
  tarBytes: number;
  build: Record<string, string>;
  /** What package.json declares (mote.memory). */
  declared: Omit<NonNullable<Manifest['memory']>, 'start'> | null;
  /** The heap `mote build` measured the app to need to start (memory.start,
   *  start-need.ts), which every host enforces; null in an image built
   *  before it was measured. */
  startNeed: number | null;
  /** Code each Web API the app names adds to its modules (kernel/web/ file → bytes). */
  webApis: Record<string, number>;
  map: MapRow[];
  modules: ModuleReport[];
  baselineHeap: number;
  predicted: Prediction;
}

const roundUp = (n: number) => Math.ceil(n / ROUND) * ROUND;

/** RAM needed so that the heap can hold `heap` bytes. */
function ramFor(manifest: Manifest, tarBytes: number, heap: number): number {
  const base = hostedMemory(manifest, tarBytes, 0);
  return FIRMWARE_HOLES + base.reserved + base.heapReserve + heap;
}

export function predict(manifest: Manifest, tarBytes: number, baseline: number, modules: ModuleReport[]): Prediction {
  const refused = refusedBelow(hostedMemory(manifest, tarBytes, 0));
  const sum = (ms: ModuleReport[]) => ms.reduce((n, m) => n + m.heapCost, 0);
  // The app's declared needs and its measured start need are heap bytes
  // (platform.ts), and both hosts enforce them exactly (host.c
  // check_declared_memory): below `min` or `start` they refuse to boot,
  // below `full` they say "degraded". So those thresholds are exact.
  const { start, ...declared } = manifest.memory ?? {};
  const exact = (heap: number | undefined) => (heap ? smallestBudgetFor(ramFor(manifest, tarBytes, heap)) : 0);
  // An image built before the start need was measured: the same figure,
  // estimated here, rounded up, enforced by no host.
  const startHeap = start ?? startNeed(baseline + sum(countedModules(modules)), false, manifest.boot);
  const startMin = start ? exact(start) : roundUp(ramFor(manifest, tarBytes, startHeap));
  const bootMin = Math.max(refused, exact(declared.min), startMin);
  // An optional module loads while the heap holds min and the needs of those
  // before it and its own (kernel/optional.ts): exact, as min and full are.
  let before = declared.min ?? 0;
  const optional = Object.entries(declared.optional ?? {}).map(([name, need]) => {
    before += need;
    return { name, need, loadsFrom: Math.max(bootMin, exact(before)) };
  });
  // The modules loaded later that the app declares no need for: small ones
  // load in the start need's workspace; past half of it, an estimate of
  // where they load (no host enforces it; declaring them makes it exact).
  const later = declared.optional ? 0 : Math.ceil(sum(modules.filter((m) => m.priority !== 0 && !KERNEL_ON_DEMAND.test(m.name))) * METAL_FACTOR);
  const laterMin = later > WORKSPACE / 2 ? roundUp(ramFor(manifest, tarBytes, startHeap + later)) : 0;
  const fullMin = Math.max(bootMin, exact(declared.full), exact(before), laterMin);
  return { refusedBelow: refused, bootMin, fullMin, optional };
}

/** The kernel's own chunk, in every image, that loads only for an app that
 *  uses it: ordered_set's B+ tree (kernel/ets_btree.ts, at the first
 *  ordered_set). An app that has one declares it, as any optional module:
 *  "mote": {"memory": {"optional": {"ordered_set": "150K"}}}. */
const KERNEL_ON_DEMAND = /^chunks\/ets_btree-\w+\.js$/;

/** What `budget` expects at `ram` bytes, from the prediction. */
export function expectedOutcome(p: Prediction, ram: number): Outcome {
  if (ram < p.bootMin) return 'refused';
  if (ram < p.fullMin) return 'degraded';
  return 'full';
}

function declaredOf(manifest: Manifest): InspectReport['declared'] {
  const { start: _, ...declared } = manifest.memory ?? {};
  return Object.keys(declared).length ? declared : null;
}

export async function inspectImage(bytes: Uint8Array): Promise<InspectReport> {
  const img: Image = await readImage(bytes);
  const { manifest } = img;
  const boot = bootFootprintOf(manifest);
  const tarBytes = img.tar.length;
  const measured = await measureModules(manifest.modules ?? [], img.files);
  const modules: ModuleReport[] = (manifest.modules ?? []).map((m) => ({
    ...m,
    heapCost: measured.costs.get(m.name) ?? 0,
    ...(measured.errors.has(m.name) ? { error: measured.errors.get(m.name) } : {}),
  }));
  const reserved = hostedMemory(manifest, tarBytes, 0).reserved;
  const listed = boot.code + boot.data + boot.bss + boot.stack + 64 + tarBytes;
  const map: MapRow[] = [
    { area: 'boot layer code and read-only data', bytes: boot.code, kind: 'image' },
    { area: 'boot layer data', bytes: boot.data, kind: 'image' },
    { area: 'boot layer bss (page tables, devices)', bytes: boot.bss, kind: 'ram' },
    { area: 'C stack (QuickJS runs on it)', bytes: boot.stack, kind: 'ram' },
    { area: 'payload (header, manifest, modules)', bytes: 64 + tarBytes, kind: 'image' },
    { area: 'alignment to pages, null page, allocator sentinels', bytes: reserved - listed, kind: 'ram' },
    { area: 'firmware holes below 1 MiB', bytes: FIRMWARE_HOLES, kind: 'ram' },
    { area: 'heap kept back for the host', bytes: boot.heapReserve, kind: 'heap' },
    ...(boot.netDevice ? [{ area: 'network: NIC buffers and lwIP, once the app uses it', bytes: boot.netDevice, kind: 'heap' as const }] : []),
    { area: 'QuickJS baseline heap (runtime, context)', bytes: measured.baseline, kind: 'heap' },
    ...modules.map((m) => ({ area: `module ${m.name} (priority ${m.priority})`, bytes: m.heapCost, kind: 'heap' as const })),
  ];
  return {
    name: manifest.name,
    version: manifest.version,
    format: manifest.format,
    entry: manifest.entry,
    imageBytes: bytes.length,
    tarBytes,
    build: manifest.build ?? {},
    declared: declaredOf(manifest),
    startNeed: manifest.memory?.start ?? null,
    webApis: manifest.webApis ?? {},
    map,
    modules,
    baselineHeap: measured.baseline,
    predicted: predict(manifest, tarBytes, measured.baseline, modules),
  };
}
