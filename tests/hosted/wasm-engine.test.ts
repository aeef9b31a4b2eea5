// The wasm engine (qemu/wasm/ and builder/hosted/wasm/): the boot layer's
// own QuickJS and C host core, built for wasm32 and run by Node, the hosted
// runner's engine. It reads an image's own bytecode (the bytes mote-qjsc
// wrote for metal); the platform cases and the conformance script are
// tests/hosted/platform.test.ts's and engine.test.ts's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../builder/image.ts';
import { runWasm } from '../../builder/hosted/wasm/index.ts';
import { Exit } from '../../kernel/platform.ts';
import { buildImage } from '../support/guest.ts';
import { payloadOf } from './support.ts';

const run = (source: string, memoryBytes = 8 << 20) => runWasm(payloadOf(source), { memoryBytes, timeoutMs: 20_000 });

describe('the wasm engine', () => {
  it("runs images/hello from the image's own bytecode", async () => {
    const img = await readImage(readFileSync(await buildImage('images/hello', 'hello')));
    const files = new Map<string, Uint8Array | string>(img.files);
    expect(files.has('main.js.qbc')).toBe(true);
    const plain = await runWasm({ manifest: img.manifest, files }, { memoryBytes: 8 << 20 });
    expect([plain.status, plain.output]).toEqual([0, 'hello from mote\n']);
    // The source is not what runs: replaced, the bytecode still says hello...
    files.set('main.js', 'throw new Error("the source was parsed")');
    const fromBytecode = await runWasm({ manifest: img.manifest, files }, { memoryBytes: 8 << 20 });
    expect([fromBytecode.status, fromBytecode.output]).toEqual([0, 'hello from mote\n']);
    // ...and a damaged bytecode file is read, and refused, as metal refuses it:
    // its version byte (QuickJS 2025-04-26 writes version 4, mote's 5: quickjs-table-typeof.patch)...
    const damage = async (at: number) => {
      const qbc = new Uint8Array(img.files.get('main.js.qbc') as Uint8Array);
      qbc[at] ^= 0xff;
      files.set('main.js.qbc', qbc);
      return runWasm({ manifest: img.manifest, files }, { memoryBytes: 8 << 20 });
    };
    const badVersion = await damage(0);
    expect([badVersion.status, badVersion.output]).toEqual([Exit.Uncaught, 'mote: uncaught exception: SyntaxError: invalid version (250 expected=5)\n']);
    // ...or its atom count, after which what JS_ReadObject says depends on
    // what the bytes it then reads were.
    const badCount = await damage(1);
    expect(badCount.status).toBe(Exit.Uncaught);
    expect(badCount.output).toMatch(/^mote: uncaught exception: (SyntaxError|InternalError|TypeError): /);
  });

  it('rounds toFixed and toPrecision ties away from zero, as Node does (wasm has no rounding modes)', async () => {
    const exprs = [
      '(2.5).toFixed(0)', '(-2.5).toFixed(0)', '(0.5).toFixed(0)', '(0.125).toFixed(2)', '(1.005).toFixed(2)',
      '(1.45).toFixed(1)', '(8.345).toFixed(2)', '(999.5).toFixed(0)', '(-0.0005).toFixed(3)', '(1.5e-7).toFixed(10)',
      '(25).toPrecision(1)', '(9.995).toPrecision(3)', '(99.5).toPrecision(2)', '(123.456).toPrecision(4)', '(0.000125).toPrecision(2)',
    ];
    const r = await run(`__mote.write([${exprs.join(', ')}].join(" ") + "\\n");`);
    expect(r.status).toBe(0);
    expect(r.output).toBe(exprs.map((e) => String((0, eval)(e))).join(' ') + '\n');
  });

  it('throws at a parse nested past the stack, as metal does, where Node\'s stack under the engine once ran out (105)', async () => {
    // QuickJS's check sees only the shadow stack, where the parser's frames
    // keep little; its limit is low enough that V8's stack outlasts it.
    const r = await run(`(0, eval)("(".repeat(5000) + "1" + ")".repeat(5000));`);
    expect(r.output).toMatch(/^mote: uncaught exception: SyntaxError: stack overflow\n\s+at <input>:1:\d+\n/);
    expect(r.status).toBe(Exit.Uncaught);
  });

  it('hands console input to the handler, then 0x04 at its end, as mote boot does', async () => {
    const main = `let got = ""; __mote.onInput((t) => { got += t; if (got.endsWith("\\x04")) { __mote.write(JSON.stringify(got) + "\\n"); __mote.onInput(undefined); } });`;
    const r = await runWasm(payloadOf(main), { memoryBytes: 8 << 20, stdin: 'é\nlast', timeoutMs: 20_000 });
    expect([r.status, r.output]).toEqual([0, '"é\\nlast\\u0004"\n']);
  });

  it('ends an empty input string at once with 0x04 (mote budget gives stdin "" and a stdout)', async () => {
    const main = `__mote.onInput((t) => { __mote.write(JSON.stringify(t) + "\\n"); __mote.onInput(undefined); });`;
    let out = '';
    const r = await runWasm(payloadOf(main), { memoryBytes: 8 << 20, stdin: '', stdout: { write: (t: string) => (out += t) }, timeoutMs: 5_000 });
    expect([r.status, out]).toEqual([0, '"\\u0004"\n']);
  });

  it('stops at once when aborted during a turn, not at the timeout (the abort event has fired before it sleeps)', async () => {
    const abort = new AbortController();
    const main = `__mote.write("up\\n"); __mote.armTimer(__mote.monotonicMs() + 60000, () => {});`;
    const r = await runWasm(payloadOf(main), { memoryBytes: 8 << 20, signal: abort.signal, timeoutMs: 20_000, stdout: { write: () => abort.abort() } });
    expect(r.status).toBe(130);
    expect(r.wallMs).toBeLessThan(5000);
  });

  it('ends a sleeping run at the timeout (124) or at Ctrl-C (130), not at its timer', async () => {
    const main = `__mote.write("up\\n"); __mote.armTimer(__mote.monotonicMs() + 60000, () => __mote.write("late\\n"));`;
    // The timeout counts from the run's start, which a busy machine can
    // hold past 200 ms before "up" (at load 13 it did): 3 s.
    const timedOut = await runWasm(payloadOf(main), { memoryBytes: 8 << 20, timeoutMs: 3000 });
    expect([timedOut.status, timedOut.output]).toEqual([Exit.Timeout, 'up\n']);
    expect(timedOut.wallMs).toBeLessThan(20_000);
    // Ctrl-C once the run is up (not at a fixed time, which load can make too early).
    const abort = new AbortController();
    let seen = '';
    const stdout = { write: (text: string) => { seen += text; if (seen === 'up\n') abort.abort(); } };
    const stopped = await runWasm(payloadOf(main), { memoryBytes: 8 << 20, signal: abort.signal, timeoutMs: 20_000, stdout });
    expect([stopped.status, seen]).toEqual([130, 'up\n']);
    expect(stopped.wallMs).toBeLessThan(20_000);
  });

  it("refuses a heap below the image's boot layer's minimum with 107 and the figures", async () => {
    const p = payloadOf(`__mote.write("ran\\n")`);
    p.manifest.boot = { loadAddress: 0x100000, code: 500_000, data: 0, bss: 0, stack: 262_144, payloadAddress: 0x1d0000, minHeap: 8 << 20, heapReserve: 49152 };
    const refused = await runWasm(p, { memoryBytes: 8 << 20 });
    expect(refused.output).toMatch(/^mote: refusing to boot: 7807 KiB of RAM, \d+ KiB free for the heap, 8192 KiB needed\n$/);
    expect(refused.status).toBe(Exit.TooLittleMemory);
    expect((await runWasm(p, { memoryBytes: 12 << 20 })).output).toBe('ran\n');
  });
});
