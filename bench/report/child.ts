// Runs one bench script as a step of the report: vite-node SCRIPT ARGS in
// the checkout, its progress (stderr) passed through, its stdout kept. A
// non-zero exit throws, naming the step, so the report is never written
// from a partial run.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOTE_ROOT } from '../../builder/pack.ts';

export class StepError extends Error {
  constructor(readonly step: string, message: string) {
    super(`step ${step} failed: ${message}`);
  }
}

export function runScript(step: string, script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(join(MOTE_ROOT, 'node_modules/.bin/vite-node'), [join(MOTE_ROOT, script), '--', ...args], { cwd: MOTE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); process.stderr.write(d); });
    p.on('error', (e) => reject(new StepError(step, e.message)));
    p.on('close', (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new StepError(step, `${script} exited ${code ?? signal}: ${(err || out).trim().split('\n').slice(-4).join(' / ')}`));
    });
  });
}

/** A results file a step wrote (bench/results/NAME). */
export function readResult<T>(step: string, name: string): T {
  try {
    return JSON.parse(readFileSync(join(MOTE_ROOT, 'bench/results', name), 'utf8')) as T;
  } catch (e) {
    throw new StepError(step, `bench/results/${name}: ${(e as Error).message}`);
  }
}
