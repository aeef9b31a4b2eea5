// Optional modules with declared needs (kernel/optional.ts): each loads
// while the heap holds min and the needs of those loaded before it; one
// loaded twice counts once; one that fails to load gives its share back.
import { describe, expect, it } from 'vitest';
import { loadOptional } from '../../kernel/optional.ts';
import { createNodeHost } from '../support/node-host.ts';

const M = 1 << 20;
const host = () =>
  createNodeHost({
    memory: { heapLimit: 3.5 * M },
    manifest: { format: 2, name: 't', version: '0', entry: 'main.js', modules: [], memory: { min: M, optional: { a: M, twice: M, late: M, broken: M, after: M } } },
  });

describe('loadOptional with declared needs', () => {
  it('counts a module loaded twice once, refuses what no longer fits, and names why', async () => {
    const h = host();
    const seen: Array<string | null> = [];
    const r = await h.run(async () => {
      seen.push(await loadOptional('twice', async () => 'twice'));
      seen.push(await loadOptional('twice', async () => 'twice again'));
      seen.push(await loadOptional('a', async () => 'a')); // min 1M + twice 1M + a 1M = 3M: fits 3.5M
      seen.push(await loadOptional('late', async () => 'late')); // 4M: does not
    });
    expect(seen).toEqual(['twice', 'twice again', 'a', null]);
    expect(r.output).toBe('mote: degraded: late not loaded: it needs 1024 KiB of heap (mote.memory.optional.late) beside the 3072 KiB declared before it, and this RAM gives 3584 KiB\n');
  });

  it('gives back the share of a module that failed to load', async () => {
    const h = createNodeHost({
      memory: { heapLimit: 2.5 * M },
      manifest: { format: 2, name: 't', version: '0', entry: 'main.js', modules: [], memory: { min: M, optional: { broken2: M, after2: M } } },
    });
    const seen: Array<string | null> = [];
    const r = await h.run(async () => {
      seen.push(await loadOptional('broken2', async () => { throw new Error('no such chunk'); }));
      seen.push(await loadOptional('after2', async () => 'after')); // fits only if broken2's 1M was given back
    });
    expect(seen).toEqual([null, 'after']);
    expect(r.output).toBe('mote: degraded: broken2 not loaded: Error: no such chunk\n');
  });
});
