// The supervision tree: a top supervisor over one supervisor per colony,
// each over the colony's ants and the colony process (one_for_all: a
// colony and its ants stand or fall together, as they share the rounds).
import { Supervisor, type ChildSpec } from 'mote';
import { startAnt, startColony, type ColonyConfig } from './colony.ts';

export const colonySupName = (c: number) => `aco.colony_sup.${c}`;

type Flags = { intensity: number; period: number };

/** How often a supervisor may restart. Under the monkey, often (50 a
 *  second), as it asks of them. Without it a death is a real failure (out
 *  of memory, a bug), and OTP's answer is escalation: 2 restarts in a
 *  minute, the next passes the intensity and the supervisor gives up, then
 *  its parent, and the run ends (status 3). 50 a second never trips for a
 *  colony that can never fit its rounds in the RAM given: each attempt can
 *  take seconds under TCG, and it was restarted for ever. */
export const restartFlags = (monkey: boolean): Flags => (monkey ? { intensity: 50, period: 1000 } : { intensity: 2, period: 60_000 });

function colonySup(cfg: ColonyConfig, c: number, flags: Flags): ChildSpec {
  const ants: ChildSpec[] = Array.from({ length: cfg.ants }, (_, a) => ({ id: `ant${a}`, start: () => ({ ok: startAnt(cfg.inst, cfg.acs, c, a) }), shutdown: 'brutal_kill' }));
  const colony: ChildSpec = { id: 'colony', start: () => ({ ok: startColony(cfg, c) }), shutdown: 'brutal_kill' };
  return {
    id: `colony${c}`,
    type: 'supervisor',
    start: () => Supervisor.startLink(() => ({ flags: { strategy: 'one_for_all', ...flags }, children: [...ants, colony] }), { name: colonySupName(c) }),
  };
}

/** Starts the tree, linked to the caller. */
export function startTree(cfg: ColonyConfig, colonies: number, flags: Flags) {
  return Supervisor.startLink(
    () => ({
      flags: { strategy: 'one_for_one', ...flags },
      children: Array.from({ length: colonies }, (_, c) => colonySup(cfg, c, flags)),
    }),
    { name: 'aco.sup' },
  );
}
