// package.json's "mote.memory": the heap the app needs to start (min) and to
// run fully (full), and what each optional module needs once loaded
// (optional: {name: size}, kernel/optional.ts), as bytes or as sizes such as
// "12M" (size.ts).
import type { Manifest } from '../kernel/platform.ts';
import { InputError } from './errors.ts';
import { parseSize } from './size.ts';

export type MemoryField = { min?: number | string; full?: number | string; optional?: Record<string, number | string> };

/** The declared needs in bytes; `where` names the package.json in messages. */
export function memoryNeeds(m: MemoryField | undefined, where: string): Manifest['memory'] {
  if (!m) return undefined;
  const size = (v: number | string | undefined, key: string) => {
    if (v === undefined) return undefined;
    if (typeof v === 'number' && v > 0) return v;
    try {
      return parseSize(String(v));
    } catch {
      throw new InputError(`${where}: "mote.memory.${key}" is not a size: ${JSON.stringify(v)}`);
    }
  };
  const out: NonNullable<Manifest['memory']> = {};
  const min = size(m.min, 'min');
  const full = size(m.full, 'full');
  if (min !== undefined && full !== undefined && min > full) {
    throw new InputError(`${where}: "mote.memory.min" (${JSON.stringify(m.min)}) is more than "mote.memory.full" (${JSON.stringify(m.full)}): min is what the app needs to start, full what it needs to run fully`);
  }
  if (min !== undefined) out.min = min;
  if (full !== undefined) out.full = full;
  if (m.optional !== undefined) {
    if (m.optional === null || typeof m.optional !== 'object' || Array.isArray(m.optional)) {
      throw new InputError(`${where}: "mote.memory.optional" must be an object naming each optional module's heap, such as {"report": "2M"}`);
    }
    const optional: Record<string, number> = {};
    for (const [name, v] of Object.entries(m.optional)) optional[name] = size(v, `optional.${name}`)!;
    const all = (min ?? 0) + Object.values(optional).reduce((a, b) => a + b, 0);
    if (full !== undefined && all > full) {
      throw new InputError(`${where}: "mote.memory.full" (${JSON.stringify(m.full)}) is less than min and every optional module together (${Math.ceil(all / 1024)} KiB): at full, every module must load`);
    }
    out.optional = optional;
  }
  return out;
}
