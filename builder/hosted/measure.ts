// Heap cost of each module of a payload, measured in the hosted engine: the
// engine's baseline (runtime and context), then the heap each module adds
// when compiled, in load order. Nothing of the app runs. `mote inspect` shows
// these figures and predicts the RAM an image needs from them.
import { InputError } from '../errors.ts';
import { HOSTED_MAX_RAM, newEngine } from './engine.ts';
import { fileText, type PayloadFiles } from './modules.ts';
import type { ManifestModule } from '../../kernel/platform.ts';

/** As much heap as the hosted engine can address: the memory grows only as
 *  far as compiling needs (a 100 MB module needs about 300 MB), and a payload
 *  past it is named, not an engine trap ("table index is out of bounds"). */
const MEASURE_HEAP = HOSTED_MAX_RAM;

export interface ModuleCosts {
  /** Heap a fresh runtime and context hold. */
  baseline: number;
  /** Module name → heap bytes its compiled form holds. */
  costs: Map<string, number>;
  /** Modules that failed to compile, with QuickJS's message. */
  errors: Map<string, string>;
}

export async function measureModules(modules: ManifestModule[], files: PayloadFiles, heap = MEASURE_HEAP): Promise<ModuleCosts> {
  const { module } = await newEngine(heap);
  const rt = module.newRuntime();
  // Compiling a module loads what it imports: give every import an empty
  // module, so each figure is the module's own and nothing is counted twice.
  rt.setModuleLoader(() => '');
  const ctx = rt.newContext();
  const used = () => {
    const h = rt.computeMemoryUsage();
    const n = (ctx.dump(h) as { memory_used_size: number }).memory_used_size;
    h.dispose();
    return n;
  };
  const baseline = used();
  const costs = new Map<string, number>();
  const errors = new Map<string, string>();
  const order = [...modules].sort((a, b) => a.priority - b.priority);
  for (const m of order) {
    const source = fileText(files, m.name);
    if (source === undefined) {
      errors.set(m.name, 'not in the payload');
      continue;
    }
    const before = used();
    // Kept alive (never disposed) so the next figure does not reuse its memory.
    // Past the heap, QuickJS either throws out of memory or traps where an
    // allocation it does not check fails: either way the figure would be
    // wrong, so the limit is named instead.
    const tooLarge = () => new InputError(`cannot measure module ${m.name} (${Math.ceil(source.length / 2 ** 20)} MiB of source): compiling it needs more than the ${Math.floor(heap / 2 ** 20)} MiB of heap the hosted engine can give`);
    let r;
    try {
      r = ctx.evalCode(source, m.name, { type: 'module', compileOnly: true });
    } catch (e) {
      throw e instanceof WebAssembly.RuntimeError ? tooLarge() : e;
    }
    if (r.error) {
      const message = (ctx.dump(r.error) as { message?: string }).message;
      r.error.dispose();
      if (message === 'out of memory') throw tooLarge();
      errors.set(m.name, String(message ?? 'does not compile'));
      continue;
    }
    costs.set(m.name, used() - before);
  }
  return { baseline, costs, errors };
}
