// A node that always has a process to run still serves console input and
// the network (platform.ts, step 4): the kernel's 0 ms yield timer is always
// due then, and every host served a due timer first, so a line or a socket
// event waited forever (both hosts ran to --timeout before).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mote, moteSync, tempDir } from './support.ts';

const image = join(tempDir(), 'busy.img');

describe('a busy node', () => {
  it('builds', () => {
    const r = moteSync(['build', join(import.meta.dirname, 'fixtures/busy-input/main.ts'), '-o', image]);
    expect(r.status, r.stderr).toBe(0);
  });

  const runs: Array<[string, string[], Record<string, string>]> = [
    ['run (the wasm engine, which shares host.c)', ['run'], {}],
    ['boot on microvm', ['boot', '--machine', 'microvm'], {}],
    ['boot on pc', ['boot', '--machine', 'pc'], {}],
  ];
  for (const [name, [cmd, ...flags], env] of runs) {
    it(`still takes a console line and a listener's answer: ${name}`, async () => {
      // --net none would end the listen at once ('enetdown'): the network is the point.
      const r = await mote([cmd!, image, ...flags, '--timeout', '60'], { input: 'hello\n', env });
      expect(r.stdout).toBe('got hello\nlistening\n');
      expect(r.status, r.stderr).toBe(0);
    }, 120_000);
  }
});
