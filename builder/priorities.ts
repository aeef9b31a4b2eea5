// The load priority of each module of a split bundle: how many dynamic
// `import()`s away from the entry it is. The entry and what it imports
// statically are priority 0 (they load at boot); each dynamically imported
// chunk is one further out per `import()` on the way to it, so a RAM budget
// that cannot hold everything drops the farthest modules first.

/** esbuild's metafile outputs, as far as the graph needs them. */
export type OutputGraph = Record<string, { imports: Array<{ path: string; kind: string; external?: boolean }> }>;

/** Priority of every module reachable from `entry`; `nameOf` maps an import's
 *  path to a module name, `keyOf` a module name to its key in `outputs`. */
export function modulePriorities(outputs: OutputGraph, entry: string, nameOf: (path: string) => string, keyOf: (name: string) => string): Map<string, number> {
  const priority = new Map<string, number>([[entry, 0]]);
  const queue = [entry];
  while (queue.length) {
    const name = queue.shift()!;
    for (const imp of outputs[keyOf(name)]?.imports ?? []) {
      if (imp.external) continue;
      const target = nameOf(imp.path);
      const p = priority.get(name)! + (imp.kind === 'dynamic-import' ? 1 : 0);
      if ((priority.get(target) ?? Infinity) > p) {
        priority.set(target, p);
        queue.push(target);
      }
    }
  }
  return priority;
}

/** Load order: by priority, the entry first among its peers, then by name. */
export function loadOrder(names: Iterable<string>, priority: Map<string, number>, entry: string): string[] {
  const rank = (n: string) => (priority.get(n) ?? 99) * 2 + (n === entry ? 0 : 1);
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
