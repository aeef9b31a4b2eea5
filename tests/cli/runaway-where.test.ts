// A process killed by the runaway guard: the line names the app's code that
// ran away (the interrupt's stack, mapped to the TypeScript), on both hosts,
// and the node goes on.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, mote, moteSync, tempDir } from './support.ts';

const app = join(import.meta.dirname, 'fixtures/runaway/main.ts');
const image = join(tempDir(), 'runaway.img');

beforeAll(() => {
  buildCli();
  const r = moteSync(['build', app, '-o', image]);
  expect(r.status, r.stderr).toBe(0);
});

describe('a runaway process', () => {
  it.each([['run'], ['boot']])('mote %s: the kill line is followed by the frames that ran, in src', async (command) => {
    const r = await mote([command, image, '-m', '16M', '--timeout', '60']);
    // spin's frame at its function's first line (QuickJS keeps no position at
    // the loop's poll), then the line in the body that called it.
    expect(r.stdout, r.stdout + r.stderr).toMatch(
      /^\[error\] process <0\.\d+\.0> ran \d+ ms without yielding \(limit 2000 ms\): killed\n    at spin \(.*fixtures\/runaway\/main\.ts:5:1\)\n    at <anonymous> \(.*fixtures\/runaway\/main\.ts:15:3\)\n/m,
    );
    expect(r.stdout).toContain('the node went on\n');
    expect(r.status).toBe(3);
  }, 120_000);
});
