// A node that waits for console input halts (COM1's receive interrupt wakes
// it, qemu/src/console_in.c) instead of polling the UART, which woke it a
// hundred times a second. Counted with the test boot layer's halt counter.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MOTE_ROOT, packApp } from '../../builder/pack.ts';
import { boot, workDir } from '../support/guest.ts';

const TEST_BOOT_LAYER = join(MOTE_ROOT, 'qemu/build/mote-boot-test.elf');
/** How long the input waits once the guest is ready: a polling guest would
 *  halt 100 times in it, a halting one once (a longer wait, on a slow
 *  machine, only widens the gap). */
const WAIT_MS = 1000;

describe('console input on metal', () => {
  for (const machine of ['microvm', 'pc'] as const) {
    it(`a node waiting for a line halts until it comes (${machine})`, async () => {
      const entry = join(workDir, `halts-${machine}.ts`);
      writeFileSync(
        entry,
        `import { spawn, stdin, stdout } from 'mote';
const t = (globalThis as any).__moteTest;
spawn(async () => {
  const before = t.halts();
  stdout.write('ready\\n');
  const line = await stdin.readLine();
  stdout.write('got ' + line + ' after ' + (t.halts() - before) + ' halts\\n');
});
`,
      );
      const { image } = await packApp({ app: entry, bootLayer: TEST_BOOT_LAYER });
      const path = join(workDir, `halts-${machine}.img`);
      writeFileSync(path, image);
      const input = new PassThrough();
      let seen = '';
      const r = await boot(path, {
        machine,
        net: false,
        stdin: input,
        timeoutMs: 60_000,
        onOutput(text) {
          seen += text;
          if (seen.includes('ready\n') && !input.writableEnded) setTimeout(() => input.end('hi\n'), WAIT_MS);
        },
      });
      const halts = Number(/^ready\ngot hi after (\d+) halts\n$/.exec(r.output)?.[1]);
      expect(r.output).toMatch(/^ready\ngot hi after \d+ halts\n$/);
      expect(halts).toBeGreaterThanOrEqual(1);
      expect(halts).toBeLessThan(10);
      expect(r.status).toBe(0);
    });
  }
});
