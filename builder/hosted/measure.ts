// Heap cost of each module of a payload, measured on the wasm engine
// (qemu/wasm/measure.c): the baseline a fresh runtime and context hold, then
// the heap each module adds once loaded as a run loads it (its bytecode, or
// its source compiled), in load order, counted by the boot layer's own
// allocator. Nothing of the app runs. `mote inspect` shows these figures and
// predicts the RAM an image needs from them.
import { InputError } from '../errors.ts';
import type { ManifestModule } from '../../kernel/platform.ts';
import { HOSTED_MAX_RAM } from './limits.ts';
import { fileText, type PayloadFiles } from './files.ts';
import { engineMemory, engineModule, growMemory, type Address } from './wasm/module.ts';
import { payloadSegment, payloadTar } from './wasm/payload.ts';

const PAGE = 65536;
const encoder = new TextEncoder();

/** As much heap as the hosted engine can address; memory pages are only
 *  touched as far as loading needs (a 100 MB module needs about 300 MB). */
const MEASURE_HEAP = HOSTED_MAX_RAM;

export interface ModuleCosts {
  /** Heap a fresh runtime and context hold. */
  baseline: number;
  /** Module name → heap bytes its loaded form holds. */
  costs: Map<string, number>;
  /** Modules that failed to load, with QuickJS's message. */
  errors: Map<string, string>;
}

interface MeasureExports {
  _initialize(): void;
  mote_payload_at(): Address;
  mote_cmdline_at(): Address;
  mote_measure_open(): number;
  mote_measure(nameBytes: number): number;
}

/** Thrown by the engine's exit import: the payload could not be read. */
class Stopped {
  constructor(readonly status: number) {}
}

export async function measureModules(modules: ManifestModule[], files: PayloadFiles, heap = MEASURE_HEAP): Promise<ModuleCosts> {
  const module = engineModule();
  const segment = payloadSegment(await payloadTar({ manifest: { format: 2, name: 'measure', version: '0', entry: '', modules: [] }, files }));
  // 2 MiB to start, as a run's (more than the module's data and stack need).
  const memory = engineMemory(32, Math.floor(HOSTED_MAX_RAM / PAGE));
  let console = '';
  const engine = new WebAssembly.Instance(module, measureImports(module, memory, (text) => (console += text))).exports as unknown as MeasureExports;
  engine._initialize();
  const at = Number(engine.mote_payload_at());
  const pages = Math.min(Math.floor(HOSTED_MAX_RAM / PAGE), Math.ceil((at + segment.length + 32 + heap) / PAGE));
  if (pages > memory.buffer.byteLength / PAGE) growMemory(memory, pages - memory.buffer.byteLength / PAGE);
  new Uint8Array(memory.buffer, at, segment.length).set(segment);
  const engineSays = (status: number) => new Error(`hosted runner: the engine could not read the payload to measure it (status ${status}): ${console.trim()}`);
  let baseline: number;
  try {
    baseline = engine.mote_measure_open();
  } catch (e) {
    throw e instanceof Stopped ? engineSays(e.status) : e;
  }
  if (baseline < 0) throw new InputError(`cannot measure the modules: the engine does not start in ${Math.floor(heap / 2 ** 20)} MiB of heap`);

  const costs = new Map<string, number>();
  const errors = new Map<string, string>();
  for (const m of [...modules].sort((a, b) => a.priority - b.priority)) {
    const source = fileText(files, m.name);
    if (source === undefined) {
      errors.set(m.name, 'not in the payload');
      continue;
    }
    // Past the heap, QuickJS throws out of memory or traps where an
    // allocation it does not check fails: either way the figure would be
    // wrong, so the limit is named instead.
    const tooLarge = () => new InputError(`cannot measure module ${m.name} (${Math.ceil(source.length / 2 ** 20)} MiB of source): compiling it needs more than the ${Math.floor(heap / 2 ** 20)} MiB of heap the hosted engine can give`);
    const name = encoder.encode(m.name);
    new Uint8Array(memory.buffer, Number(engine.mote_cmdline_at()), name.length).set(name);
    console = '';
    let cost: number;
    try {
      cost = engine.mote_measure(name.length);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) throw tooLarge();
      throw e instanceof Stopped ? engineSays(e.status) : e;
    }
    if (cost === -2) throw tooLarge();
    if (cost < 0) errors.set(m.name, console.trim() || 'does not compile');
    else costs.set(m.name, cost);
  }
  return { baseline, costs, errors };
}

/** The engine's imports for measuring: console output collected, power-off
 *  thrown; no clock, input or network is reached, so those throw. */
function measureImports(module: WebAssembly.Module, memory: WebAssembly.Memory, write: (text: string) => void): WebAssembly.Imports {
  const decoder = new TextDecoder();
  const mote: Record<string, (...args: number[]) => unknown> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module === 'mote') mote[imp.name] = () => { throw new Error(`hosted runner: measuring called the engine's ${imp.name}`); };
  }
  mote.write = (ptr, len) => write(decoder.decode(new Uint8Array(memory.buffer, ptr, len)));
  mote.exit = (status) => { throw new Stopped(status); };
  mote.monotonic_ms = () => performance.now();
  mote.wall_ms = () => Date.now();
  mote.poll_stop = () => {};
  return { env: { memory }, mote };
}
