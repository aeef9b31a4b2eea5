/**
 * Out of memory in the kernel's own work for a process: where the engine's
 * error surfaces while the kernel runs a process (it could not allocate what
 * it needed to go on with it), that process dies with `out_of_memory`, and
 * the largest by pressure.ts's count too if the heap is still short; the
 * node goes on. Only when not even a death can be recorded and said does the
 * node stop (status 101), as BEAM does when it cannot allocate.
 */
import { Exit, platform } from './platform.ts';
import { state, type Proc } from './process.ts';
import { die } from './signals.ts';
import { heapLimit, heapShort, relieve } from './pressure.ts';
import * as logger from './logger.ts';

/** p ran the VM out of memory, or the kernel did on p's behalf: p dies with
 *  out_of_memory. If the heap is still short (the memory is held elsewhere),
 *  the process the kernel counts the most against dies too. If then there is
 *  not even room to record the death and say so, what fills the heap is
 *  nothing the kernel can free, and the node stops (nodeOutOfMemory). */
export function outOfMemory(p: Proc): void {
  try {
    if (p.alive) die(p, 'out_of_memory');
    if (heapShort()) relieve(heapLimit() / 32);
    logger.error(`process ${p.pid} ran the VM out of memory: killed (out_of_memory)`);
  } catch {
    // Still no room: whoever holds the most goes, then one more try.
    try {
      if (!relieve(heapLimit() / 32)) throw new Error('nothing to relieve');
      logger.error(`process ${p.pid} ran the VM out of memory: killed (out_of_memory)`);
    } catch {
      nodeOutOfMemory();
    }
  }
}

/** The kernel could not even record a death (the heap is full of what other
 *  processes hold): the node cannot keep its promises, so it stops. The line
 *  is built before memory runs out. */
const OOM_LINE = 'mote: out of memory: the node cannot go on\n';
export function nodeOutOfMemory(): never {
  state.halted = true;
  try {
    platform().write(OOM_LINE);
  } catch {
    // nothing more can be said
  }
  return platform().exit(Exit.OutOfMemory);
}
