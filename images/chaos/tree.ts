// The service's supervision tree, every process registered so that the
// monkey can find it and tell a restart by its new pid:
//
//   level 0  chaos.root                      (spared: what the node stands on)
//   level 1  replica_a   replica_b   workers (supervisors)
//   level 2  keeper_a    keeper_b    pool_0 .. pool_{P-1} (pools: supervisors)
//   level 3                          kv_0 .. kv_{W-1}, dealt round the pools
import { Supervisor, exit, whereis, type ChildSpec, type SupFlags } from 'mote';
import { keeperName, startKeeper } from './store.ts';
import { startWorker, workerName } from './kv.ts';

export interface TreeShape {
  workers: number;
  pools: number;
  flags: SupFlags;
}

export interface Member {
  name: string;
  level: number;
  parent: string;
  supervisor: boolean;
}

export const ROOT = 'chaos.root';
/** The two subtrees that hold the table between them (store.ts). */
export const REPLICAS = ['replica_a', 'replica_b'];
const poolName = (p: number) => `pool_${p}`;

/** Every process of the tree but the root, with its level and parent. */
export function members(s: TreeShape): Member[] {
  const m: Member[] = [];
  for (const side of ['a', 'b'] as const) {
    m.push({ name: `replica_${side}`, level: 1, parent: ROOT, supervisor: true });
    m.push({ name: keeperName(side), level: 2, parent: `replica_${side}`, supervisor: false });
  }
  m.push({ name: 'workers', level: 1, parent: ROOT, supervisor: true });
  for (let p = 0; p < s.pools; p++) m.push({ name: poolName(p), level: 2, parent: 'workers', supervisor: true });
  for (let i = 0; i < s.workers; i++) m.push({ name: workerName(i), level: 3, parent: poolName(i % s.pools), supervisor: false });
  return m;
}

/**
 * A killed supervisor's children that are supervisors trap exits: they
 * stop only once they take the parent's EXIT, so the restarted supervisor
 * can find their names still held. The supervisor would retry in a loop
 * that never lets them run, and pass its intensity on one kill. A start
 * takes the name over instead: the holder is an orphan on its way out.
 */
export function takeName(name: string): void {
  const old = whereis(name);
  if (old) exit(old, 'kill');
}

function sup(id: string, flags: SupFlags, children: ChildSpec[]): ChildSpec {
  return {
    id,
    type: 'supervisor',
    start: () => {
      takeName(id);
      return Supervisor.startLink(() => ({ flags, children }), { name: id });
    },
  };
}

/** Starts the tree, not linked to the caller (which monitors the root);
 *  `extra` children go last under the root, out of the monkey's reach. */
export function startTree(s: TreeShape, extra: ChildSpec[] = []) {
  const f = { strategy: 'one_for_one' as const, ...s.flags };
  const replica = (side: 'a' | 'b') => sup(`replica_${side}`, f, [{ id: keeperName(side), start: () => startKeeper(side), shutdown: 'brutal_kill' }]);
  const pools = Array.from({ length: s.pools }, (_, p) => {
    const kvs: ChildSpec[] = [];
    for (let i = p; i < s.workers; i += s.pools) kvs.push({ id: workerName(i), start: () => startWorker(i), shutdown: 'brutal_kill' });
    return sup(poolName(p), f, kvs);
  });
  return Supervisor.start(() => ({ flags: f, children: [replica('a'), replica('b'), sup('workers', f, pools), ...extra] }), { name: ROOT });
}
