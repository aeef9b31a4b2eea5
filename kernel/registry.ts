/**
 * The registry: names for processes (Erlang's register/whereis/unregister).
 * A name goes away when its process dies.
 */
import { Proc, procs, type Reason } from './process.ts';
import { Pid } from './term.ts';
import { onDeath } from './signals.ts';

const names = new Map<string, Proc>();

onDeath.push((p: Proc, _r: Reason) => {
  if (p.name !== null) names.delete(p.name);
});

function checkName(what: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') throw new TypeError(`${what}: a name must be a non-empty string, got ${String(name)}`);
}

export function register(name: string, pid: Pid): void {
  checkName('register', name);
  if (!(pid instanceof Pid)) throw new TypeError(`register: expected a pid, got ${String(pid)}`);
  const p = procs.get(pid.id);
  if (!p) throw new Error(`register: ${pid} is not alive`);
  const holder = names.get(name);
  if (holder) throw new Error(`register: the name "${name}" is already registered to ${holder.pid}`);
  if (p.name !== null) throw new Error(`register: ${pid} is already registered as "${p.name}"`);
  names.set(name, p);
  p.name = name;
}

export function unregister(name: string): void {
  checkName('unregister', name);
  const p = names.get(name);
  if (!p) throw new Error(`unregister: the name "${name}" is not registered`);
  names.delete(name);
  p.name = null;
}

export function whereis(name: string): Pid | undefined {
  checkName('whereis', name);
  return names.get(name)?.pid;
}

export function registered(): string[] {
  return [...names.keys()];
}

/** The process behind a pid or name; undefined if none is alive. */
export function resolveProc(dest: Pid | string, what: string): Proc | undefined {
  if (dest instanceof Pid) return procs.get(dest.id);
  if (typeof dest === 'string') return names.get(dest);
  throw new TypeError(`${what}: expected a pid or a registered name, got ${String(dest)}`);
}
