// Hosted predicts metal's stack depths: the wasm engine's stack check sees
// only wasm's shadow stack, and each recursion below stops within a tenth of
// the depth it reaches on metal (qemu/wasm/include/wasm_compat.h). A margin
// kept free at every check outside a JS call stopped a recursion with
// JSON.stringify at its bottom at 121 calls hosted against metal's 336,
// nested awaits at 62 against 163, a yield* chain at 55 against 130. A call
// of a C function goes uncharged no more: a recursion through
// Array.prototype.map went 112 deep hosted against metal's 95.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, mote, tempDir } from '../cli/support.ts';

const fixture = join(import.meta.dirname, 'fixtures/stack-depth');
let image: string;

beforeAll(async () => {
  buildCli();
  image = join(tempDir(), 'stack-depth.img');
  const r = await mote(['build', fixture, '-o', image]);
  expect(r.status, r.stderr).toBe(0);
});

async function depths(host: 'run' | 'boot'): Promise<Record<string, number>> {
  const r = await mote([host, image, '-m', '16M', '--timeout', '300']);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  const out: Record<string, number> = {};
  for (const [, k, v] of r.stdout.matchAll(/(\S+) (\d+)/g)) out[k!] = Number(v);
  return out;
}

describe('stack depths, hosted against metal', () => {
  it('plain, stringify, await and yield* at the bottom of a recursion, map at each level, and nested arrays stringified, stop within 10% of metal', async () => {
    const metal = await depths('boot');
    const hosted = await depths('run');
    expect(Object.keys(metal).sort()).toEqual(['await', 'map', 'nested', 'plain', 'stringify', 'yield*']);
    const off = Object.keys(metal).filter((k) => Math.abs(hosted[k]! - metal[k]!) > metal[k]! / 10).map((k) => `${k}: hosted ${hosted[k]}, metal ${metal[k]}`);
    expect(off).toEqual([]);
  }, 600_000);
});
