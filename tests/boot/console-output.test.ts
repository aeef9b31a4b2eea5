// Console output reaches mote whole however far behind its reader falls:
// QEMU's serial port writes a byte at a time, and through Node's own child
// pipe (a Unix socket pair) a reader a few hundred bytes behind made QEMU
// drop bytes (builder/console-fifo.ts). 20 KB, with the reader stalled 2 s.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootImage } from '../../builder/qemu.ts';
import { buildImage, workDir } from '../support/guest.ts';

describe('console output', () => {
  it('arrives whole when the reader stalls', async () => {
    const app = join(workDir, 'chatty.js');
    writeFileSync(app, 'for (let i = 0; i < 400; i++) console.log(String(i).padStart(4, "0") + " " + "x".repeat(44));\n');
    const expected = Array.from({ length: 400 }, (_, i) => `${String(i).padStart(4, '0')} ${'x'.repeat(44)}\n`).join('');
    let stalled = false;
    const r = await bootImage(await buildImage(app, 'chatty'), {
      memory: 8 << 20,
      stdio: 'pipe',
      timeoutMs: 60_000,
      onOutput: () => {
        if (stalled) return;
        stalled = true;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000); // Node's loop stands still
      },
    });
    expect(r.status).toBe(0);
    expect(r.output.length).toBe(expected.length);
    expect(r.output).toBe(expected);
  });
});
