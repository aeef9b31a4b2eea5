// The boot layer's acceptance: images boot in QEMU for real and behave as
// docs/ARCHITECTURE.md says, on microvm and pc.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Exit } from '../../kernel/platform.ts';
import { boot, buildImage } from '../support/guest.ts';

const fixture = (name: string) => join(__dirname, 'fixtures', name);

describe('hello', () => {
  for (const machine of ['microvm', 'pc'] as const) {
    it(`prints its line and exits 0 on ${machine} with -m 8M`, async () => {
      const image = await buildImage('images/hello', 'hello');
      const r = await boot(image, { machine, memory: 8 << 20 });
      expect(r.output).toBe('hello from mote\n');
      expect(r.status).toBe(0);
    });
  }

  it('runs at -m 2M on microvm', async () => {
    const r = await boot(await buildImage('images/hello', 'hello'), { memory: 2 << 20 });
    expect(r.output).toBe('hello from mote\n');
    expect(r.status).toBe(0);
  });
});

describe('exit statuses', () => {
  it('maps halt(7) in JS back to 7', async () => {
    const r = await boot(await buildImage(fixture('exit7.ts')));
    expect(r.output).toBe('leaving with 7\n');
    expect(r.status).toBe(7);
  });

  it('reports an uncaught exception with its stack and status 100', async () => {
    const r = await boot(await buildImage(fixture('throws.ts')));
    expect(r.status).toBe(Exit.Uncaught);
    expect(r.output).toMatch(/^before\nmote: uncaught exception: TypeError: the app broke\n\s+at /);
  });

  it('reports an unhandled rejection with status 100', async () => {
    const r = await boot(await buildImage(fixture('rejects.ts')));
    expect(r.status).toBe(Exit.Uncaught);
    expect(r.output).toContain('mote: unhandled promise rejection: RangeError: nobody handles this\n');
  });
});

// The engine conformance script: tests/platform/conformance.test.ts (metal, hosted and node).

describe('time', () => {
  // The TSC (time) and the LAPIC timer (waits) are calibrated against the PIT
  // over the engine's own start-up; either read wrong shows here: the guest's
  // clock would count more time than the host saw pass, or the run would last
  // far longer than 2 s.
  it('keeps pace with the world: a 2 s timer takes 2 s of the host time, and the guest clock agrees', async () => {
    const r = await boot(await buildImage(fixture('timer2s.ts')));
    const waited = Number(/^fired after (\d+) ms\n$/.exec(r.output)?.[1]);
    expect(r.status).toBe(0);
    expect(waited).toBeGreaterThanOrEqual(2000);
    expect(waited).toBeLessThanOrEqual(r.wallMs);
    expect(r.wallMs).toBeLessThan(4000);
  });
});

describe('memory', () => {
  it('lets JS catch running out of memory and go on', async () => {
    const r = await boot(await buildImage(fixture('oom.ts')), { memory: 8 << 20 });
    expect(r.output).toMatch(/^caught InternalError: out of memory after some chunks\nstill alive\n$/);
    expect(r.status).toBe(0);
  });

  it('throws a real out-of-memory error when small allocations run out, never null', async () => {
    const r = await boot(await buildImage(fixture('oom-small.ts')), { memory: 4 << 20 });
    expect(r.output).toBe('caught InternalError: out of memory after many entries\nstill alive\n');
    expect(r.status).toBe(0);
  });

  it('sizes the heap from the RAM QEMU was given', async () => {
    const image = await buildImage(fixture('memory.ts'));
    const small = JSON.parse((await boot(image, { memory: 8 << 20 })).output);
    const large = JSON.parse((await boot(image, { memory: 32 << 20 })).output);
    expect(large.limit - small.limit).toBeGreaterThan(23 << 20);
    expect(large.limit).toBeLessThan(32 << 20);
    expect(small.total).toBeGreaterThan(7 << 20);
    expect(small.used).toBeGreaterThan(0);
    expect(small.used).toBeLessThan(small.limit);
  });
});
