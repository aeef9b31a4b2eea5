// Heap cost of each module of a payload, measured in the hosted engine: the
// engine's baseline (runtime and context), then the heap each module adds
// when compiled, in load order. Nothing of the app runs. `mote inspect` shows
// these figures and predicts the RAM an image needs from them.
import { newEngine } from './engine.ts';
import { fileText, type PayloadFiles } from './modules.ts';
import type { ManifestModule } from '../../kernel/platform.ts';

/** Heap enough to compile any payload an image can carry. */
const MEASURE_HEAP = 64 << 20;

export interface ModuleCosts {
  /** Heap a fresh runtime and context hold. */
  baseline: number;
  /** Module name → heap bytes its compiled form holds. */
  costs: Map<string, number>;
  /** Modules that failed to compile, with QuickJS's message. */
  errors: Map<string, string>;
}

export async function measureModules(modules: ManifestModule[], files: PayloadFiles): Promise<ModuleCosts> {
  const { module } = await newEngine(MEASURE_HEAP);
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
    const r = ctx.evalCode(source, m.name, { type: 'module', compileOnly: true });
    if (r.error) {
      errors.set(m.name, String((ctx.dump(r.error) as { message?: string }).message ?? 'does not compile'));
      r.error.dispose();
      continue;
    }
    costs.set(m.name, used() - before);
  }
  return { baseline, costs, errors };
}
