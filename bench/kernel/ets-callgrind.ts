// Instructions per table operation on native QuickJS (issue 11), by
// callgrind: each op run N times and 0 times (the same setup), the
// difference over N. Beside a plain Map's set and get in the same run.
//   npx vite-node bench/kernel/ets-callgrind.ts [--n 100000] [--ops map_set,set_insert,...]
//     [--root DIR ...] (kernels to compare, default this checkout) [--native PATH ...] (engines)
//     [--keep DIR] (keep the callgrind.out files there, for callgrind_annotate)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOTE_ROOT } from '../../builder/paths.ts';
import { bundleFixture } from './workloads.ts';
import { benchImage } from './engines.ts';

const argv = process.argv.slice(2);
const all = (name: string): string[] => argv.flatMap((a, i) => (a === `--${name}` ? [argv[i + 1]!] : []));
const one = (name: string, dflt: string): string => all(name)[0] ?? dflt;
const n = Number(one('n', '100000'));
const ops = one('ops', 'map_set,set_insert,oset_insert,map_get,set_lookup,map_set_obj,obj_insert,map_get_obj,obj_lookup').split(',');
const roots = all('root').length ? all('root') : [MOTE_ROOT];
const natives = all('native').length ? all('native') : [join(MOTE_ROOT, 'qemu/build/mote-native')];
const keep = one('keep', '');
if (keep) mkdirSync(keep, { recursive: true });

function instructions(native: string, image: string, out: string): number {
  execFileSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, native, image, '--ram', '512M'], { stdio: ['ignore', 'ignore', 'ignore'] });
  const m = /^summary:\s+(\d+)/m.exec(readFileSync(out, 'utf8')) ?? /^totals:\s+(\d+)/m.exec(readFileSync(out, 'utf8'));
  if (!m) throw new Error(`no totals in ${out}`);
  return Number(m[1]);
}

const dir = keep || mkdtempSync(join(tmpdir(), 'mote-ets-cg-'));
const rows: Record<string, Record<string, number>> = {};
for (const op of ops) {
  const row: Record<string, number> = {};
  for (const [ri, root] of roots.entries()) {
    for (const [ni, native] of natives.entries()) {
      if (!existsSync(native)) throw new Error(`no engine ${native}`);
      const col = `k${ri}e${ni}`;
      const counts: number[] = [];
      for (const count of [0, n]) {
        const code = await bundleFixture('ets_ops.ts', { ETS_OP: JSON.stringify(op), ETS_N: String(count), ETS_FILL: String(n) }, 'esm', root);
        counts.push(instructions(native, await benchImage(code), join(dir, `callgrind.${op}.${col}.${count}`)));
      }
      row[col] = Math.round((counts[1]! - counts[0]!) / n);
    }
  }
  rows[op] = row;
  console.error(op, JSON.stringify(row));
}
console.table(rows);
