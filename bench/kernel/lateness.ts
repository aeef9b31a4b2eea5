// Timer lateness under load (issue 9) on hosted and metal: p50 and p99 of how
// late a 10 ms sleep wakes beside busy processes (fixtures/lateness.ts).
//   npx vite-node bench/kernel/lateness.ts
// Results: a table here and bench/results/timer-lateness.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOTE_ROOT, bundleApp } from '../../builder/pack.ts';
import { runHosted } from '../../builder/hosted/index.ts';
import { boot, buildImage } from '../../tests/support/guest.ts';

const fixture = join(MOTE_ROOT, 'bench/kernel/fixtures/lateness.ts');

function parse(out: string): Record<string, number> {
  const r: Record<string, number> = {};
  for (const m of out.matchAll(/^BENCH (.*)$/gm)) {
    const j = JSON.parse(m[1]!) as { name: string; value: number };
    r[j.name] = j.value;
  }
  return r;
}

async function hosted(): Promise<Record<string, number>> {
  const bytes = await bundleApp(fixture, false);
  const manifest = { format: 1, name: 'lateness', version: '0.0.0', entry: 'main.js', modules: [{ name: 'main.js', size: bytes.length, priority: 0 }] };
  const r = await runHosted({ manifest, files: new Map([['main.js', bytes]]) }, { memoryBytes: 64 << 20, timeoutMs: 120_000 });
  if (r.status !== 0) throw new Error(`hosted run failed (${r.status}): ${r.output}`);
  return parse(r.output);
}

async function metal(): Promise<Record<string, number>> {
  const r = await boot(await buildImage(fixture, 'lateness'), { memory: 64 << 20, timeoutMs: 120_000 });
  if (r.status !== 0) throw new Error(`metal run failed (${r.status}): ${r.output}`);
  return parse(r.output);
}

const results = { hosted: await hosted(), metal: await metal() };
console.table(results);
const outDir = join(MOTE_ROOT, 'bench/results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'timer-lateness.json'), JSON.stringify({ sleepMs: 10, sleeps: 200, results }, null, 2));
console.log('written bench/results/timer-lateness.json');
