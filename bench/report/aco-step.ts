// The report's ACO figures: images/aco on both hosts (mote run, mote boot
// under TCG) through the CLI, the time it reports for its own search and
// the command's launch to exit, alternating with hello's launch to exit on
// the same host as the reference. There is no BEAM ACO to put beside it.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { MOTE_ROOT } from '../../builder/pack.ts';
import { median } from '../stats.ts';

export interface AcoHost { searchMs: number[]; wallMs: number[]; helloWallMs: number[]; best: number; medians: { searchMs: number; wallMs: number; helloWallMs: number } }
export interface AcoSection { env: Record<string, string>; memory: string; runs: number; hosts: Record<'run' | 'boot', AcoHost> }

const mote = (args: string[]) => {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [join(MOTE_ROOT, 'bin/mote.js'), ...args], { cwd: MOTE_ROOT, encoding: 'utf8', maxBuffer: 16 << 20, input: '' });
  return { out, ms: performance.now() - t0 };
};

export function acoSection(o: { runs: number; env: Record<string, string>; memory: string; dir: string; hello: string; log: (s: string) => void }): AcoSection {
  const image = join(o.dir, 'aco.img');
  mote(['build', join(MOTE_ROOT, 'images/aco'), '-o', image]);
  const envFlags = Object.entries(o.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const hosts = {} as AcoSection['hosts'];
  for (const host of ['run', 'boot'] as const) {
    const accel = host === 'boot' ? ['--accel', 'tcg'] : [];
    const h = { searchMs: [] as number[], wallMs: [] as number[], helloWallMs: [] as number[], best: NaN };
    for (let i = 0; i < o.runs; i++) {
      h.helloWallMs.push(mote([host, o.hello, '-m', o.memory, ...accel]).ms);
      const r = mote([host, image, '-m', o.memory, ...accel, ...envFlags]);
      const m = r.out.match(/aco: best total weighted tardiness (\d+) in ([\d.]+) ms/);
      if (!m) throw new Error(`images/aco on ${host} printed no result:\n${r.out}`);
      if (i > 0 && Number(m[1]) !== h.best) throw new Error(`images/aco on ${host}: the same seed gave ${h.best} then ${m[1]}`);
      h.best = Number(m[1]);
      h.searchMs.push(Number(m[2]));
      h.wallMs.push(r.ms);
      o.log(`aco ${host} ${i + 1}/${o.runs}: best ${m[1]}, search ${m[2]} ms, launch to exit ${r.ms.toFixed(0)} ms (hello ${h.helloWallMs.at(-1)!.toFixed(0)} ms)`);
    }
    hosts[host] = { ...h, medians: { searchMs: median(h.searchMs), wallMs: median(h.wallMs), helloWallMs: median(h.helloWallMs) } };
  }
  return { env: o.env, memory: o.memory, runs: o.runs, hosts };
}
