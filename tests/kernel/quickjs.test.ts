// Behaviour that only a real QuickJS host can show: a VM-wide out-of-memory
// raised in the process that caused it, and a truly endless loop stopped by
// the host's interrupt-based guard.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runScenario } from '../support/scenario-runner.ts';

const dir = join(import.meta.dirname, 'fixtures/quickjs-only');

describe('kernel on QuickJS only', () => {
  it('VM out of memory kills the triggering process with out_of_memory; others run on', async () => {
    const r = await runScenario(join(dir, 'oom.ts'), 'quickjs', 16 << 20);
    expect(r.output).toContain('hog: out_of_memory');
    expect(r.output).toContain('bystander sum 10000');
    expect(r.output).toContain('bystander: normal heap true');
    expect(r.code, r.output).toBe(0);
  });

  it('an endless loop is interrupted, killed with reason killed and logged by pid', async () => {
    const r = await runScenario(join(dir, 'spin.ts'), 'quickjs');
    expect(r.output).toMatch(/\[error\] process <0\.\d+\.0> ran \d+ ms without yielding \(limit 200 ms\): killed/);
    expect(r.output).toContain('spinner: killed');
    expect(r.output).toContain('after: normal');
    expect(r.code, r.output).toBe(3);
  });

  it("a gen_server init that never yields: the trip kills the server as the runaway, frees its name, and kills its caller it ran in", async () => {
    const r = await runScenario(join(dir, 'init-loop.ts'), 'quickjs');
    const lines = r.output.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('[error]')).length, r.output).toBe(2);
    expect(lines[0], r.output).toMatch(/^\[error\] process <0\.\d+\.0> ran \d+ ms without yielding \(limit 200 ms\): killed$/);
    // The caller's line has the interrupt's stack: the init it ran in, on top.
    expect(r.output, r.output).toMatch(/killed\n    at init \(/);
    expect(lines.filter((l) => !l.startsWith('[') && !l.startsWith('    at ')), r.output).toEqual(['caller: killed', 'looper: gone, processes 1', 'looper again: yes']);
    expect(r.code, r.output).toBe(0);
  });

  it("a startChild caller killed while it waits leaves no spec behind (the supervisor takes it as it handles the call)", async () => {
    const r = await runScenario(join(dir, 'handed-spec.ts'), 'quickjs');
    expect(r.output.split('\n')[0], r.output).toMatch(/^grown under 256 KB after 20 killed callers of 64 KB specs: true \(-?\d+ bytes\)$/);
    expect(r.code, r.output).toBe(0);
  });

  it("a getChildSpec caller killed with its reply queued leaves no start function behind (the supervisor fills the caller's slot)", async () => {
    // Before, the supervisor left the start in the table and the caller's
    // finally took it out: 20 killed callers of 64 KB starts kept 1,320,752 B.
    const r = await runScenario(join(dir, 'handed-start.ts'), 'quickjs');
    expect(r.output.split('\n')[0], r.output).toMatch(/^grown under 256 KB after 20 getChildSpec callers killed with their reply queued: true \(-?\d+ bytes\), replies taken 0$/);
    expect(r.code, r.output).toBe(0);
  });

  it("a send whose copy runs past the guard is stopped at the guard, the host's copy included", async () => {
    // The copy of 2**32 - 1 holes in C, which the guard's interrupt never
    // reached, ran ~12.7 s at 512M before the heap ran out and the guard
    // killed it (~215 ms now): the bound is 25 times the limit, so a loaded
    // box's stalls do not reach it.
    const r = await runScenario(join(dir, 'copy-runaway.ts'), 'quickjs', 512 << 20);
    const ran = /\[error\] process <0\.\d+\.0> ran (\d+) ms without yielding \(limit 200 ms\): killed/.exec(r.output);
    expect(ran, r.output).not.toBeNull();
    expect(Number(ran![1])).toBeLessThan(5000);
    expect(r.output).toContain('copier: killed');
    expect(r.output).not.toContain('copier: sent');
    expect(r.code, r.output).toBe(3);
  }, 60_000);

  it('a first/next walk of a 5,000-row set table takes a step per row, not a scan (within the 2 s guard)', async () => {
    const r = await runScenario(join(dir, 'ets-walk.ts'), 'quickjs');
    // The even keys (each odd one deleted just ahead of the walk) and the
    // one appended at the end.
    expect(r.output).toContain('walk: 2501 keys, in order true, next of a gone key ets.next: key 1 is not in the table');
    expect(r.code, r.output).toBe(3);
  }, 60_000);

  it('a heap full of what outlives the process: a clear stop or a named death, never a silent 0', async () => {
    // The filler's death frees nothing (the array is module-level). With the
    // host's rescue window (alloc.c's OOM_RESCUE) the kernel can still log
    // the death, and the node, with nothing left to run, ends; without room
    // for that line it stops with 101, saying so. The death may also be
    // logged and then the body's own promise, rejected with the same error,
    // reported unhandled (100), most likely because the kernel's `then` on
    // it (scheduler.ts, follow) found no memory either.
    const r = await runScenario(join(dir, 'oom-kept.ts'), 'quickjs', 8 << 20);
    const death = '\\[error\\] process <0\\.\\d+\\.0> ran the VM out of memory: killed \\(out_of_memory\\)[^\\n]*\\n';
    if (r.code === 0) expect(r.output).toMatch(new RegExp(`^${death}$`));
    else if (r.code === 100) expect(r.output).toMatch(new RegExp(`^${death}mote: unhandled promise rejection: InternalError: out of memory\\n`));
    else {
      expect(r.output).toBe('mote: out of memory: the node cannot go on\n');
      expect(r.code).toBe(101);
    }
  });

  it('memory running out while starting 100,000 servers: the start fails in the caller, or one line and 101', async () => {
    // 100,000 servers do not fit in 40 MiB. Where the last allocation fails
    // moves with every byte of the bundle: in a server's start, which
    // returns { error } to the caller (the fixture then crashes, logged, as
    // metal does); in the kernel, which cannot record a death and stops the
    // node. Never a silent end, never a trap (105).
    const r = await runScenario(join(dir, 'idle100k.ts'), 'quickjs', 40 << 20);
    if (r.code === 0) expect(r.output).toMatch(/^\[error\] process <0\.\d+\.0> crashed: Error: start \d+ failed\n/);
    else {
      expect(r.output).toBe('mote: out of memory: the node cannot go on\n');
      expect(r.code).toBe(101);
    }
  }, 120_000);

  it('100,000 idle gen_servers fit in an 80 MiB budget', async () => {
    // On metal's engine and allocator (wasm64, the hosted default, takes
    // metal's sizes): 741 B a server, 74.7 MB for 100,000 at 78 MiB; at 76
    // MiB all 100,000 start and the report no longer fits.
    const r = await runScenario(join(dir, 'idle100k.ts'), 'quickjs', 80 << 20);
    expect(r.output, r.output).toMatch(/^servers 100000 heap \d+ per-server \d+$/m);
    expect(r.code, r.output).toBe(0);
  }, 120_000);
});
