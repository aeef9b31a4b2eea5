// Fairness on metal: the fixtures of tests/kernel/fairness.test.ts (hosted),
// booted in QEMU.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boot, buildImage } from '../support/guest.ts';

const fixture = (name: string) => join(__dirname, '../kernel/fixtures/fairness', name);

describe('fairness, metal', () => {
  it('a due timer fires within two slices of a busy process (counted in its work, not wall time); processes that yield are never runaways', async () => {
    const r = await boot(await buildImage(fixture('timers.ts'), 'timers'));
    expect(r.output).toBe(
      'sleeper beside a busy server: woke 30 times, each within two slices of the server\nbusy server ran on\n3 runawayMs sleep beside senders: fired\nsenders that yield: all alive\n',
    );
    expect(r.status).toBe(0);
  });
});

describe('the start-up guard, metal', () => {
  it('stops a top-level infinite loop with one line and status 100', async () => {
    const r = await boot(await buildImage(fixture('startup-loop.ts'), 'startup-loop'));
    expect(r.output).toMatch(/^starting\n\[error\] start-up \(the entry module's top level\) ran \d+ ms without yielding \(limit 300 ms, configure startupMs\): stopped\n$/);
    expect(r.status).toBe(100);
  });

  it('lets long start-up work run past runawayMs', async () => {
    const r = await boot(await buildImage(fixture('startup-long.ts'), 'startup-long'));
    expect(r.output).toBe('start-up work done: true\n');
    expect(r.status).toBe(0);
  });
});

describe('the runaway guard, metal', () => {
  it('kills an endless loop in a process, and the node goes on', async () => {
    const r = await boot(await buildImage(join(__dirname, '../kernel/fixtures/quickjs-only/spin.ts'), 'spin'));
    expect(r.output).toMatch(/\[error\] process <0\.\d+\.0> ran \d+ ms without yielding \(limit 200 ms\): killed\n/);
    expect(r.output).toContain('spinner: killed\nafter: normal\n');
    expect(r.status).toBe(3);
  });

  it('kills only the runaway, not the process that ran before it (the scenario runaway_bystander)', async () => {
    const r = await boot(await buildImage(join(__dirname, '../kernel/fixtures/scenarios/runaway_bystander.ts'), 'runaway-bystander'));
    const runaways = [...r.output.matchAll(/^\[error\] (.*)$/gm)].map((m) => m[1]);
    const named = [...r.output.matchAll(/^(?:second )?runaway was (<0\.\d+\.0>)$/gm)].map((m) => m[1]);
    expect(named, r.output).toHaveLength(2);
    expect(runaways, r.output).toEqual(named.map((pid) => expect.stringMatching(new RegExp(`^process ${pid!.replace(/\./g, '\\.')} ran \\d+ ms without yielding \\(limit 100 ms\\): killed$`))));
    expect(r.output, r.output).not.toMatch(/^not ok/m);
    expect(r.status, r.output).toBe(0);
  });
});
