// Pids, refs, tables and sockets print as Erlang writes them, nested too, in
// console.log and the shell alike, and as Node's own util.inspect prints
// them (both honour Symbol.for('nodejs.util.inspect.custom')).
import { inspect as nodeInspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { inspect } from '../../kernel/inspect.ts';
import { Pid, Ref, Socket, Tid } from '../../kernel/term.ts';

describe('inspect of the kernel terms', () => {
  it('prints them as Erlang does, as Node does', () => {
    const pid = new Pid();
    const ref = new Ref();
    const values = [pid, { pid, ref, tab: new Tid(), port: new Socket(7) }, [pid, pid], new Map([[pid, ref]])];
    for (const v of values) expect(inspect(v)).toBe(nodeInspect(v));
    expect(inspect({ pid })).toBe(`{ pid: <0.${pid.id}.0> }`);
    expect(inspect({ custom: { [Symbol.for('nodejs.util.inspect.custom')]: () => ({ shown: 1 }) } })).toBe(nodeInspect({ custom: { [Symbol.for('nodejs.util.inspect.custom')]: () => ({ shown: 1 }) } }));
  });
});
