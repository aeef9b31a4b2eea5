// Sequential Orbit: one table of 2N slots and a stack of values whose
// images are still to be computed.
import { sleep } from 'mote';
import { HashSet } from './table.ts';
import { yieldDue } from './yielder.ts';
import type { Generator } from './generators.ts';

export async function sequentialOrbit(space: number, gens: Generator[], x0 = 0): Promise<number> {
  const table = new HashSet(2 * space);
  const todo = [x0];
  table.add(x0);
  const due = yieldDue();
  while (todo.length > 0) {
    const x = todo.pop()!;
    for (const g of gens) {
      const y = g(x);
      if (table.add(y)) todo.push(y);
    }
    if (due()) await sleep(1);
  }
  return table.size;
}
