// Console input on metal arrives from the UART as bytes come: a character
// of several UTF-8 bytes split between two reads must still reach the app
// whole (it arrived as two U+FFFD before host.c held the first bytes back).
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootImage } from '../../builder/qemu.ts';
import { buildImage } from '../support/guest.ts';

describe('console input on metal, UTF-8', () => {
  it('a character split between two writes reaches the app whole', async () => {
    const image = await buildImage(join(import.meta.dirname, 'fixtures/echo-line.ts'), 'echo-line');
    const input = new PassThrough();
    let out = '';
    const run = bootImage(image, {
      memory: 8 << 20, stdio: 'inherit', stdin: input, timeoutMs: 60_000,
      onOutput: (t) => { out += t; },
    });
    // é is C3 A9 and 😀 F0 9F 98 80: each cut after its first byte, with a pause
    // between, so the guest reads them apart (a machine too slow to split
    // them reads them together, which must work as well).
    input.write(Buffer.from([0x68, 0xc3]));
    await new Promise((r) => setTimeout(r, 300));
    input.write(Buffer.from([0xa9, 0x21, 0xf0]));
    await new Promise((r) => setTimeout(r, 300));
    input.end(Buffer.from([0x9f, 0x98, 0x80, 0x0a]));
    const r = await run;
    expect(out).toBe('"hé!😀"\n');
    expect(r.status).toBe(0);
  }, 90_000);
});
