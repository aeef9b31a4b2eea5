// The kernel's layering, drawn from its own import statements: no file may
// reach a file of a higher layer than its own (the table in kernel/README.md,
// lowest layer first), no core file may import the stdlib, and there is no
// circle of imports. Type-only imports count too: they are knowledge.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const kernel = resolve(import.meta.dirname, '../../kernel');

function kernelFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return kernelFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [relative(kernel, p)] : [];
  });
}

/** The kernel files `file` imports (static, re-exports, dynamic). */
function importsOf(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(join(kernel, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const specs: string[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      specs.push(n.moduleSpecifier.text);
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) {
      specs.push(n.arguments[0].text);
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(kernel, resolve(kernel, dirname(file), s)));
}

const files = kernelFiles(kernel).sort();
const graph = new Map(files.map((f) => [f, importsOf(f)]));

/** README's layer table: layer names lowest first, each file's layer, and
 *  each folder's (a `folder/` entry: its files not named on their own). */
function readmeLayers(): { names: string[]; of: Map<string, number>; folders: Map<string, number> } {
  const text = readFileSync(join(kernel, 'README.md'), 'utf8');
  const names: string[] = [];
  const of = new Map<string, number>();
  const folders = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^\| ([a-z][a-z ]*) \| (.*) \|$/.exec(line);
    if (!m || m[1] === 'layer') continue;
    names.push(m[1]!);
    for (const f of m[2]!.matchAll(/`([a-z0-9_/]+\.ts)`/g)) of.set(f[1]!, names.length - 1);
    for (const f of m[2]!.matchAll(/`([a-z0-9_]+\/)`/g)) folders.set(f[1]!, names.length - 1);
  }
  return { names, of, folders };
}

/** Every circle of imports (Tarjan's strongly connected components). */
function circles(): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (f: string): void => {
    index.set(f, next);
    low.set(f, next++);
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      if (!index.has(g)) {
        visit(g);
        low.set(f, Math.min(low.get(f)!, low.get(g)!));
      } else if (stack.includes(g)) {
        low.set(f, Math.min(low.get(f)!, index.get(g)!));
      }
    }
    if (low.get(f) === index.get(f)) {
      const scc: string[] = [];
      let g: string;
      do scc.push((g = stack.pop()!));
      while (g !== f);
      if (scc.length > 1 || graph.get(f)!.includes(f)) out.push(scc.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return out;
}

describe('kernel imports', () => {
  it('finds the kernel and reads its imports', () => {
    expect(files).toContain('scheduler.ts');
    expect(graph.get('index.ts')).toContain('process_api.ts');
    for (const [f, deps] of graph) for (const d of deps) expect(files, `${f} imports ${d}, which is no kernel file`).toContain(d);
  });

  it('has no circle', () => {
    expect(circles()).toEqual([]);
  });

  it('has no arrow from outside the stdlib into kernel/stdlib/ (but the entry, index.ts)', () => {
    const up = [...graph].flatMap(([f, deps]) =>
      f.startsWith('stdlib/') || f === 'index.ts' ? [] : deps.filter((d) => d.startsWith('stdlib/')).map((d) => `${f} -> ${d}`),
    );
    expect(up).toEqual([]);
  });

  it('agrees with kernel/README.md: every file in a layer, every import to its own layer or below', () => {
    const { names, of, folders } = readmeLayers();
    expect(names.length).toBeGreaterThan(3);
    const folderOf = (f: string): number | undefined => [...folders].find(([d]) => f.startsWith(d))?.[1];
    const layer = (f: string): number | undefined => of.get(f) ?? folderOf(f);
    expect(files.filter((f) => layer(f) === undefined), 'files in no layer of the README table').toEqual([]);
    expect([...of.keys()].filter((f) => !files.includes(f)), 'README names files that do not exist').toEqual([]);
    const up = [...graph].flatMap(([f, deps]) =>
      deps.filter((d) => layer(d)! > layer(f)!).map((d) => `${f} (${names[layer(f)!]}) -> ${d} (${names[layer(d)!]})`),
    );
    expect(up).toEqual([]);
  });
});
