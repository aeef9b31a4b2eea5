// Building an image of images/ once per suite, and running it on both hosts
// at -m 8M with a command line.
import { join } from 'node:path';
import { expect } from 'vitest';
import { mote, moteSync, tempDir, type CliResult } from '../cli/support.ts';

const dir = tempDir();

/** Builds images/APP; the image's path. */
export function buildImage(app: string): string {
  const image = join(dir, `${app}.img`);
  const r = moteSync(['build', `images/${app}`, '-o', image]);
  expect(r.status, r.stderr).toBe(0);
  return image;
}

export type Host = 'run' | 'boot';
export const hosts: Host[] = ['run', 'boot'];

/** Runs `image` on one host at 8M with `cli` (such as `-e`, `--`), bounded by
 *  `timeoutS` seconds, with `input` piped to its console. */
export function runOn(host: Host, image: string, cli: string[], timeoutS = 300, input = ''): Promise<CliResult> {
  return mote([host, image, '-m', '8M', '--timeout', String(timeoutS), ...cli], { input });
}

/** Each command line in `cases` makes `mote run image` print its one line
 *  and stop with status 2 (a bad parameter). */
export async function expectRefused(image: string, cases: Array<[string[], string]>): Promise<void> {
  for (const [cli, line] of cases) {
    const r = await runOn('run', image, cli);
    expect(r.stdout).toBe(`${line}\n`);
    expect(r.status).toBe(2);
  }
}
