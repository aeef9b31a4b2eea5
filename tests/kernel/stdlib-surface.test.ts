// The stdlib's way into the core (issue 15): a file under kernel/stdlib/
// imports from a kernel file outside the stdlib only what kernel/index.ts
// exports from that file (the public API apps see as `mote`), and whatever
// else it needs through kernel/stdlib/internal.ts, the one named surface
// that may reach further. Type-only imports count too. The names are read
// from the files themselves, as tests/kernel/layering.test.ts reads imports.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const kernel = resolve(import.meta.dirname, '../../kernel');
const SURFACE = 'stdlib/internal.ts';

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(join(kernel, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

/** `spec` as a kernel path, seen from `file`. */
function target(file: string, spec: string): string {
  return relative(kernel, resolve(kernel, dirname(file), spec));
}

/** What index.ts makes public: per file, the names it re-exports, or '*'
 *  for a file it re-exports whole (`export * as logger from './logger.ts'`). */
function publicNames(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of parse('index.ts').statements) {
    if (!ts.isExportDeclaration(s) || !s.moduleSpecifier || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    const f = target('index.ts', s.moduleSpecifier.text);
    const names = out.get(f) ?? new Set<string>();
    out.set(f, names);
    if (!s.exportClause || ts.isNamespaceExport(s.exportClause)) names.add('*');
    else for (const e of s.exportClause.elements) names.add((e.propertyName ?? e.name).text);
  }
  return out;
}

/** Each `import`/`export ... from` of a file: the kernel file and the names. */
function importsOf(file: string): { from: string; names: string[] }[] {
  const out: { from: string; names: string[] }[] = [];
  for (const s of parse(file).statements) {
    if (!(ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) || !s.moduleSpecifier || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    if (!s.moduleSpecifier.text.startsWith('.')) continue;
    const names: string[] = [];
    if (ts.isImportDeclaration(s)) {
      const c = s.importClause;
      if (c?.name) names.push('default');
      const b = c?.namedBindings;
      if (b && ts.isNamespaceImport(b)) names.push('*');
      else if (b) for (const e of b.elements) names.push((e.propertyName ?? e.name).text);
    } else if (!s.exportClause || ts.isNamespaceExport(s.exportClause)) names.push('*');
    else for (const e of s.exportClause.elements) names.push((e.propertyName ?? e.name).text);
    out.push({ from: target(file, s.moduleSpecifier.text), names });
  }
  return out;
}

const stdlib = readdirSync(join(kernel, 'stdlib')).filter((f) => f.endsWith('.ts')).map((f) => `stdlib/${f}`);

describe('the stdlib uses the public API and one named internal surface', () => {
  it('reads index.ts and the stdlib', () => {
    const pub = publicNames();
    expect(pub.get('process_api.ts')).toContain('spawn');
    expect(pub.get('ets.ts')).toContain('Tid'); // (ets itself: a plain object of ets.ts's API)
    expect(stdlib).toContain('stdlib/gen_server.ts');
    expect(stdlib).toContain(SURFACE);
  });

  it('imports from the core only public names, but through stdlib/internal.ts', () => {
    const pub = publicNames();
    const reaches = stdlib
      .filter((f) => f !== SURFACE)
      .flatMap((f) =>
        importsOf(f)
          .filter((i) => !i.from.startsWith('stdlib/'))
          .flatMap((i) => {
            const open = pub.get(i.from) ?? new Set<string>();
            return open.has('*') ? [] : i.names.filter((n) => !open.has(n)).map((n) => `${f} imports ${n} from ${i.from}`);
          }),
      );
    expect(reaches).toEqual([]);
  });

  it('keeps the surface to re-exports and helpers over the core, never the process table itself', () => {
    const names = importsOf(SURFACE).flatMap((i) => i.names.map((n) => `${n} from ${i.from}`));
    expect(names).not.toContain('state from process.ts');
    expect(names).not.toContain('procs from process.ts');
  });
});
