// The hosted runner's own behaviour beyond the shared conformance cases:
// statuses, memory that follows the budget, modules, rejections, timeouts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FIRMWARE_HOLES, runHosted } from '../../builder/hosted/index.ts';
import { Exit } from '../../kernel/platform.ts';
import { payloadOf } from './support.ts';

const MiB = 1 << 20;
const run = (main: string, opts: { memoryBytes?: number; timeoutMs?: number; others?: Record<string, string> } = {}) =>
  runHosted(payloadOf(main, opts.others), { memoryBytes: opts.memoryBytes ?? 8 * MiB, timeoutMs: opts.timeoutMs ?? 20_000 });

const OOM = `
  const hold = [];
  let caught = 'nothing';
  try { for (;;) hold.push(new Array(64 * 1024).fill(1.5)); }
  catch (e) { caught = e.name + ': ' + e.message + ' after ' + hold.length; hold.length = 0; }
  __mote.write(caught + '\\n');
  __mote.write('still alive\\n');`;

describe('exit statuses', () => {
  it('an uncaught exception at the top level: one line, the stack, status 100', async () => {
    const r = await run(`function deep() { throw new TypeError("the app broke"); } __mote.write("before\\n"); deep();`);
    // Every frame has its line and column (QuickJS 2025-04-26, metal's and the wasm engine's).
    expect(r.output).toBe('before\nmote: uncaught exception: TypeError: the app broke\n    at deep (main.js:1:38)\n    at <anonymous> (main.js:1:89)\n');
    expect(r.status).toBe(Exit.Uncaught);
  });

  it('a missing entry module: 104 and a line naming it', async () => {
    const p = payloadOf('');
    p.manifest.entry = 'app/gone.js';
    const r = await runHosted(p, { memoryBytes: 8 * MiB });
    expect(r.output).toBe("mote: payload: the entry module 'app/gone.js' named by the manifest is not in the image\n");
    expect(r.status).toBe(Exit.NoEntry);
  });

  it('exit stops at once: a finally block after it never runs', async () => {
    const r = await run(`try { __mote.write("a\\n"); __mote.exit(42); } finally { __mote.write("finally\\n"); } __mote.write("after\\n");`);
    expect(r.output).toBe('a\n');
    expect(r.status).toBe(42);
  });

  it('RAM that cannot hold the image is refused with 107, as the QEMU runner refuses it', async () => {
    const r = await run(`__mote.write("ran\\n")`, { memoryBytes: 1 * MiB });
    expect(r.output).toMatch(/^mote: refusing to boot: the image needs \d+ KiB of RAM to load \(itself and a page above it\), 1024 KiB given\n$/);
    expect(r.status).toBe(Exit.TooLittleMemory);
  });

  it("a heap below the boot layer's minimum is refused with 107 and the figures", async () => {
    const p = payloadOf(`__mote.write("ran\\n")`);
    p.manifest.boot = { loadAddress: 0x100000, code: 500_000, data: 0, bss: 0, stack: 262_144, payloadAddress: 0x1d0000, minHeap: 8 * MiB, heapReserve: 16384 };
    const r = await runHosted(p, { memoryBytes: 8 * MiB });
    expect(r.output).toMatch(/^mote: refusing to boot: 7807 KiB of RAM, \d+ KiB free for the heap, 8192 KiB needed\n$/);
    expect(r.status).toBe(Exit.TooLittleMemory);
    const ok = await runHosted(p, { memoryBytes: 12 * MiB });
    expect(ok.output).toBe('ran\n');
  });

  it('a runaway loop with no guard is stopped by the timeout: 124', async () => {
    const r = await run(`__mote.write("spinning\\n"); for (;;) {}`, { timeoutMs: 300 });
    expect(r.output).toBe('spinning\n');
    expect(r.status).toBe(Exit.Timeout);
    expect(r.wallMs).toBeLessThan(5000);
  });

  it('a timer beyond the timeout ends the run with 124 at the timeout, not at the timer', async () => {
    const r = await run(`__mote.armTimer(__mote.monotonicMs() + 60000, () => __mote.write("late\\n"));`, { timeoutMs: 200 });
    expect(r.output).toBe('');
    expect(r.status).toBe(Exit.Timeout);
    expect(r.wallMs).toBeLessThan(5000);
  });
});

describe('stopping a run from outside (Ctrl-C)', () => {
  it('an abort stops a waiting run with 130', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const main = `__mote.write("up\\n"); __mote.armTimer(__mote.monotonicMs() + 60000, () => {});`;
    const r = await runHosted(payloadOf(main), { memoryBytes: 8 * MiB, signal: abort.signal, timeoutMs: 20_000 });
    expect(r.output).toBe('up\n');
    expect(r.status).toBe(130);
    expect(r.wallMs).toBeLessThan(5000);
  });

  it('an abort signalled before a spin (from another thread, say) stops the spinning code', async () => {
    const abort = new AbortController();
    const p = runHosted(payloadOf(`__mote.armTimer(0, () => { __mote.write("spin\\n"); for (;;) {} });`), { memoryBytes: 8 * MiB, signal: abort.signal, timeoutMs: 20_000 });
    abort.abort(); // the engine starts asynchronously; it sees the flag inside the loop
    const r = await p;
    expect(r.status).toBe(130);
    expect(r.wallMs).toBeLessThan(5000);
  });
});

describe('the guard', () => {
  it('trips on an infinite loop in a timer handler, calls onTrip once, and the program goes on', async () => {
    const r = await run(`
      let trips = 0;
      __mote.armTimer(0, () => { __mote.guard(30, () => { trips++; __mote.write("tripped " + trips + "\\n"); __mote.armTimer(0, () => __mote.write("went on\\n")); }); for (;;) {} });`);
    expect(r.output).toBe('tripped 1\nwent on\n');
    expect(r.status).toBe(0);
  });
});

describe('timers and jobs', () => {
  it('handlers that re-arm run in deadline order, each after the jobs before it', async () => {
    const r = await run(`
      const t0 = __mote.monotonicMs(), log = [];
      const steps = [[20, "b"], [5, "a"], [40, "c"]].sort((x, y) => x[0] - y[0]);
      function next() {
        const s = steps.shift();
        if (!s) { Promise.resolve().then(() => __mote.write(log.join(" ") + "\\n")); return; }
        __mote.armTimer(t0 + s[0], () => { log.push(s[1] + (__mote.monotonicMs() - t0 >= s[0] ? "+" : "-")); Promise.resolve().then(() => log.push("job")); next(); });
      }
      next();`);
    expect(r.output).toBe('a+ job b+ job c+ job\n');
  });

  it('interleaves await and then chains as Node does (the rejection tracker keeps QuickJS timing)', async () => {
    const source = `
      const out = [];
      (async () => { out.push("a1"); await new Promise((r) => r()); out.push("a2"); await Promise.resolve(); out.push("a3"); })();
      Promise.resolve().then(() => out.push("t1")).then(() => out.push("t2")).then(() => out.push("t3")).then(() => out.push("t4"));
      (async () => { try { await Promise.reject(new Error("x")); } catch { out.push("c1"); } })();
      new Promise((r) => r()).then(() => out.push("n1")).finally(() => out.push("f1")).then(() => __mote.write(out.join(" ") + "\\n"));`;
    const dir = mkdtempSync(join(tmpdir(), 'mote-hosted-'));
    const file = join(dir, 'order.mjs');
    writeFileSync(file, `globalThis.__mote = { write: (s) => process.stdout.write(s) };\n${source}`);
    const expected = execFileSync(process.execPath, [file], { encoding: 'utf8' });
    const r = await run(source);
    expect(r.output).toBe(expected);
    expect(r.status).toBe(0);
  });
});

describe('unhandled rejections', () => {
  it('Promise.reject with no handler: 100 and the reason', async () => {
    const r = await run(`__mote.write("before\\n"); Promise.reject(new RangeError("nobody handles this"));`);
    expect(r.output).toMatch(/^before\nmote: unhandled promise rejection: RangeError: nobody handles this\n\s+at /);
    expect(r.status).toBe(Exit.Uncaught);
  });

  it('a rejection passed down a then chain with no catch at its end', async () => {
    const r = await run(`new Promise((_, reject) => reject(new Error("down the chain"))).then(() => 1).then(() => 2);`);
    expect(r.output).toMatch(/^mote: unhandled promise rejection: Error: down the chain\n/);
    expect(r.status).toBe(Exit.Uncaught);
  });

  it('a throw inside a then handler with no catch', async () => {
    const r = await run(`Promise.resolve(1).then(function handler() { throw new Error("in handler"); });`);
    expect(r.output).toMatch(/^mote: unhandled promise rejection: Error: in handler\n\s+at handler/);
    expect(r.status).toBe(Exit.Uncaught);
  });

  it('rejections that are awaited, caught or handled later in the turn are not reported', async () => {
    const r = await run(`
      (async () => { try { await Promise.reject(new Error("a")); } catch { __mote.write("awaited\\n"); } })();
      Promise.reject(new Error("b")).catch(() => __mote.write("caught\\n"));
      const p = Promise.all([Promise.resolve(1), Promise.reject(new Error("c"))]);
      Promise.resolve().then(() => p.then(null, () => __mote.write("late\\n")));`);
    expect(r.output).toBe('awaited\ncaught\nlate\n');
    expect(r.status).toBe(0);
  });

  it('instanceof and Promise.resolve identity still hold for async functions', async () => {
    const r = await run(`
      const a = (async () => 1)();
      __mote.write([a instanceof Promise, Promise.resolve(a) === a, Promise.reject(0).catch(() => {}) instanceof Promise].join(" ") + "\\n");`);
    expect(r.output).toBe('true true true\n');
  });
});

describe('memory follows the budget', () => {
  it('reports the RAM the boot layer would see, and a heap limit that grows with the budget', async () => {
    const src = `const m = __mote.memory(); __mote.write(JSON.stringify(m) + "\\n");`;
    const small = JSON.parse((await run(src, { memoryBytes: 8 * MiB })).output);
    const large = JSON.parse((await run(src, { memoryBytes: 32 * MiB })).output);
    expect(small.totalRam).toBe(8 * MiB - FIRMWARE_HOLES);
    expect(large.heapLimit - small.heapLimit).toBe(24 * MiB);
    expect(small.heapUsed).toBeGreaterThan(0);
    expect(small.heapUsed).toBeLessThan(small.heapLimit);
    expect(small.reserved + small.heapLimit).toBeLessThan(small.totalRam);
  });

  it('lets JS catch running out of memory and go on, with the heap the budget allows', async () => {
    for (const mib of [8, 32]) {
      const r = await run(OOM, { memoryBytes: mib * MiB });
      expect(r.output).toMatch(/^InternalError: out of memory after \d+\nstill alive\n$/);
      expect(r.status).toBe(0);
      // Each chunk holds 64 Ki values of 16 bytes, 1 MiB (wasm64, as on
      // metal): what was held when allocation failed is most of the heap
      // limit, and never more.
      const held = Number(/after (\d+)/.exec(r.output)![1]) * 1024 * 1024;
      expect(held).toBeLessThan(r.memory.heapLimit);
      expect(held).toBeGreaterThan(r.memory.heapLimit * 0.4);
    }
  });
});

describe('modules and input', () => {
  it('resolves relative imports and import() against the payload', async () => {
    const r = await run(`import { b } from "./app/b.js"; __mote.write(b + "\\n"); import("./app/lib/c.js").then((m) => __mote.write(m.c + "\\n"));`, {
      others: { 'app/b.js': `import { c } from "./lib/c.js"; export const b = "b sees " + c;`, 'app/lib/c.js': `export const c = "c";` },
    });
    expect(r.output).toBe('b sees c\nc\n');
    expect(r.status).toBe(0);
  });

  it('a module missing from the payload is an uncaught ReferenceError', async () => {
    const r = await run(`import { x } from "./nowhere.js"; __mote.write(x);`);
    expect(r.output).toMatch(/^mote: uncaught exception: ReferenceError: module 'nowhere.js' is not in the image\n/);
    expect(r.status).toBe(Exit.Uncaught);
  });

  it('reads console input from a stream as it arrives', async () => {
    const stdin = new PassThrough();
    const p = runHosted(payloadOf(`let s = ""; __mote.onInput((t) => { s += t; if (s.endsWith("\\n")) { __mote.write("echo " + s); __mote.onInput(null); } });`), {
      memoryBytes: 8 * MiB,
      stdin,
      timeoutMs: 10_000,
    });
    setTimeout(() => stdin.write('hel'), 20);
    setTimeout(() => stdin.write('lo\n'), 60);
    const r = await p;
    expect(r.output).toBe('echo hello\n');
    expect(r.status).toBe(0);
  });
});
