/**
 * Process aliases (OTP 24's alias/unalias, EEP 53): a Ref that, while
 * active, names the process that made it, so `send(alias, msg)` reaches
 * that process; once deactivated, a message sent to it is dropped. A call
 * replies through one, so a reply that comes after the caller gave up never
 * reaches its mailbox.
 *
 * How an alias ends, by mode (OTP's options):
 *   - `explicit_unalias`: only by `unalias` (or its owner's death);
 *   - `reply`: also when the first message sent through it is delivered;
 *   - `demonitor` (a monitor's alias, the ref being the monitor's): also
 *     when the monitor ends, by demonitor or by its DOWN;
 *   - `reply_demonitor`: as `demonitor`, and a message delivered through it
 *     also removes the monitor.
 */
import { Proc } from './process.ts';
import { Ref } from './term.ts';
import { onDeath, onMonitorDown, demonitor } from './signals.ts';

export type AliasMode = 'explicit_unalias' | 'reply' | 'demonitor' | 'reply_demonitor';

interface Alias {
  owner: Proc;
  mode: AliasMode;
}

const aliases = new Map<number, Alias>();
/** Each owner's aliases that do not end with a monitor, so that its death
 *  ends them; an alias that ends with its monitor goes, at the owner's
 *  death, with the owner's monitors (a call's alias costs no entry here). */
const owned = new WeakMap<Proc, Set<number>>();

const endsWithMonitor = (mode: AliasMode): boolean => mode === 'demonitor' || mode === 'reply_demonitor';

/** Makes `ref` an alias of `owner`; a `demonitor` or `reply_demonitor` one
 *  is the ref of a monitor `owner` holds. */
export function addAlias(owner: Proc, ref: Ref, mode: AliasMode): void {
  aliases.set(ref.id, { owner, mode });
  if (endsWithMonitor(mode)) return;
  let mine = owned.get(owner);
  if (!mine) owned.set(owner, (mine = new Set()));
  mine.add(ref.id);
}

/** Deactivates `ref` if it is an alias of `owner`; true if it was. */
export function removeAlias(owner: Proc, ref: Ref): boolean {
  const a = aliases.get(ref.id);
  if (!a || a.owner !== owner) return false;
  aliases.delete(ref.id);
  if (!endsWithMonitor(a.mode)) owned.get(owner)?.delete(ref.id);
  return true;
}

/** The process a message sent to `ref` goes to, or undefined (no alias, or
 *  not active: the message is dropped). Deactivates a reply alias, as the
 *  message it returns the owner for is delivered. */
export function aliasTarget(ref: Ref): Proc | undefined {
  const a = aliases.get(ref.id);
  if (!a) return undefined;
  const owner = a.owner;
  if (a.mode === 'reply' || a.mode === 'reply_demonitor') {
    removeAlias(owner, ref);
    if (a.mode === 'reply_demonitor') demonitor(owner, ref, false);
  }
  return owner;
}

/** The monitor `ref` of `watcher` ended (demonitor or DOWN): its alias goes
 *  too, unless made to last until unalias. */
export function monitorEnded(watcher: Proc, ref: Ref): void {
  if (aliases.size === 0) return;
  const a = aliases.get(ref.id);
  if (a && a.owner === watcher && endsWithMonitor(a.mode)) aliases.delete(ref.id);
}

onMonitorDown.push(monitorEnded);

onDeath.push((p: Proc) => {
  if (aliases.size === 0) return;
  if (p.monitors) for (const id of p.monitors.keys()) aliases.delete(id); // its monitors' aliases
  const mine = owned.get(p);
  if (!mine) return;
  for (const id of mine) aliases.delete(id);
  owned.delete(p);
});
