// A death is all or nothing under out of memory (kernel/signals.ts, die):
// when telling a death's monitors runs out midway, the death completes
// once the kernel has made room, every watcher told once and the link
// too; if no room can be made, the node stops with 101 and one line. Before,
// the engine's error left die half done: the victim out of the process
// table, a watcher and the linked process never told, waiting for ever,
// and the node ended 0.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, type Engine } from '../support/scenario-runner.ts';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures/death-oom', name);

for (const engine of ['node', 'quickjs'] as Engine[]) {
  describe(`a death that runs out of memory midway, ${engine}`, () => {
    it('completes once room is made: every watcher gets one DOWN, the link its EXIT, the killer goes on', async () => {
      const r = await runScenario(fixture('once.ts'), engine);
      const lines = r.output.trimEnd().split('\n').sort();
      expect(lines, r.output).toEqual(['killer: went on', 'trapper: EXIT killed', 'watcher 0: DOWN killed', 'watcher 1: DOWN killed', 'watcher 2: DOWN killed']);
      expect(r.code, r.output).toBe(0);
    });

    it("an owner's tables all go to their heir, each told once, when the first ETS-TRANSFER runs out", async () => {
      // Before, the table hook took the owner's set away first: its second
      // run found none, so the heir was told of neither table and the second
      // stayed the dead owner's for good.
      const r = await runScenario(fixture('ets-heir.ts'), engine);
      expect(r.output, r.output).toBe('told of first, second; first: the heir; second: the heir\n');
      expect(r.code, r.output).toBe(0);
    });

    it("a link's EXIT that runs out is still given when an exit(pid)'s EXIT from the same process is queued", async () => {
      // Before, the second run took the earlier EXIT (hello) for the link's
      // own (killed) and gave none: the trapper never learnt of the death.
      const r = await runScenario(fixture('exit-then-link.ts'), engine);
      expect(r.output, r.output).toBe('trapper: EXIT hello, EXIT killed\n');
      expect(r.code, r.output).toBe(0);
    });

    it("a gen_server's async callback whose then runs out: the server dies of out_of_memory, its promise's later rejection stops nothing", async () => {
      // Before, the promise got no handler and its rejection stopped the node
      // (QuickJS: 100, unhandled promise rejection).
      const r = await runScenario(fixture('gen-server-then.ts'), engine);
      const lines = r.output.trimEnd().split('\n');
      expect(lines[0], r.output).toMatch(/^\[error\] process <0\.\d+\.0> ran the VM out of memory: killed \(out_of_memory\)/);
      expect(lines.slice(1), r.output).toEqual(['server: out_of_memory', 'node: went on']);
      expect(r.code, r.output).toBe(0);
    });

    it('with no room to be made, stops the node with 101 and one line, leaving no process half dead', async () => {
      const r = await runScenario(fixture('always.ts'), engine);
      expect(r.output.trimEnd().split('\n').pop(), r.output).toBe("mote: out of memory: a process's death could not be completed; the node cannot go on");
      expect(r.output).not.toMatch(/killer: went on/);
      expect(r.code, r.output).toBe(101);
    });
  });
}

// The runaway guard interrupts only on QuickJS (node's host cannot stop running JS).
describe('a trip of the runaway guard inside the rescue of a death that ran out, quickjs', () => {
  it('finishes the deaths it stopped, and the next death that runs out is rescued again', async () => {
    // Before: the trip surfaced as the killer's rejection, which killed it
    // as a runaway but left victimA and holder1 half dead (no DOWN, for
    // ever); and the rescue's flag stayed set, so run B stopped the node 101.
    const r = await runScenario(fixture('trip-in-rescue.ts'), 'quickjs');
    // Log lines, and the runaway line's stack (crash.ts), are not the cases'.
    const lines = r.output.trimEnd().split('\n').filter((l) => !l.startsWith('[') && !/^\s+at /.test(l));
    expect(lines, r.output).toEqual(['holder1 out_of_memory, killerA killed, victimA killed', 'killerB: went on', 'holder2 out_of_memory, killerB normal, victimB killed', 'node: went on']);
    expect(r.code, r.output).toBe(0);
  });
});
