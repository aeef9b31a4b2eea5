// The supervision tree: a top supervisor over one supervisor per colony,
// each over the colony's ants and the colony process (one_for_all: a
// colony and its ants stand or fall together, as they share the rounds).
// Restarts are allowed often (50 a second), as the monkey asks of them.
import { Supervisor, type ChildSpec } from 'mote';
import { startAnt, startColony, type ColonyConfig } from './colony.ts';

export const colonySupName = (c: number) => `aco.colony_sup.${c}`;

function colonySup(cfg: ColonyConfig, c: number): ChildSpec {
  const ants: ChildSpec[] = Array.from({ length: cfg.ants }, (_, a) => ({ id: `ant${a}`, start: () => ({ ok: startAnt(cfg.inst, cfg.acs, c, a) }), shutdown: 'brutal_kill' }));
  const colony: ChildSpec = { id: 'colony', start: () => ({ ok: startColony(cfg, c) }), shutdown: 'brutal_kill' };
  return {
    id: `colony${c}`,
    type: 'supervisor',
    start: () => Supervisor.startLink(() => ({ flags: { strategy: 'one_for_all', intensity: 50, period: 1000 }, children: [...ants, colony] }), { name: colonySupName(c) }),
  };
}

/** Starts the tree, linked to the caller. */
export function startTree(cfg: ColonyConfig, colonies: number) {
  return Supervisor.startLink(
    () => ({
      flags: { strategy: 'one_for_one', intensity: 50, period: 1000 },
      children: Array.from({ length: colonies }, (_, c) => colonySup(cfg, c)),
    }),
    { name: 'aco.sup' },
  );
}
