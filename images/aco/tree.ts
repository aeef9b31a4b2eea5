// The supervision tree: a top supervisor over one supervisor per colony,
// each over the colony's ants and the colony process (one_for_all: a
// colony and its ants stand or fall together, as they share the rounds).
import { Supervisor, type ChildSpec } from 'mote';
import { startAnt, startColony, type ColonyConfig } from './colony.ts';

function colonySup(cfg: ColonyConfig, c: number): ChildSpec {
  const ants: ChildSpec[] = Array.from({ length: cfg.ants }, (_, a) => ({ id: `ant${a}`, start: () => ({ ok: startAnt(cfg.inst, cfg.acs, c, a) }), shutdown: 'brutal_kill' }));
  const colony: ChildSpec = { id: 'colony', start: () => ({ ok: startColony(cfg, c) }), shutdown: 'brutal_kill' };
  return {
    id: `colony${c}`,
    type: 'supervisor',
    start: () => Supervisor.startLink(() => ({ flags: { strategy: 'one_for_all', intensity: 3, period: 5000 }, children: [...ants, colony] })),
  };
}

/** Starts the tree, linked to the caller. */
export function startTree(cfg: ColonyConfig, colonies: number) {
  return Supervisor.startLink(
    () => ({
      flags: { strategy: 'one_for_one', intensity: 3, period: 5000 },
      children: Array.from({ length: colonies }, (_, c) => colonySup(cfg, c)),
    }),
    { name: 'aco.sup' },
  );
}
