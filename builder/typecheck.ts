// `mote build --typecheck`: TypeScript's type errors in the app as
// diagnostics, with "mote" resolved to the kernel as the bundler resolves it.
// TypeScript is loaded only for this (it is large).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, displayPath, type Diagnostic } from './errors.ts';

type TS = typeof import('typescript');

/** The globals kernel/prelude.ts installs in every host, as apps see them. */
const PRELUDE_GLOBALS = `
interface MoteConsole {
  log(...args: unknown[]): void; info(...args: unknown[]): void; debug(...args: unknown[]): void;
  warn(...args: unknown[]): void; error(...args: unknown[]): void;
}
declare var console: MoteConsole;
declare function setTimeout(fn: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function clearTimeout(id: unknown): void;
declare function setInterval(fn: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function clearInterval(id: unknown): void;
declare function queueMicrotask(fn: () => void): void;
`;

function loadTypescript(): TS {
  try {
    return createRequire(import.meta.url)('typescript') as TS;
  } catch {
    throw new CliError('--typecheck needs the typescript package: npm install --save-dev typescript');
  }
}

export function typecheck(entry: string, kernelEntry: string): Diagnostic[] {
  const ts = loadTypescript();
  const dir = mkdtempSync(join(tmpdir(), 'mote-typecheck-'));
  const globals = join(dir, 'mote-globals.d.ts');
  writeFileSync(globals, PRELUDE_GLOBALS);
  try {
    return check(ts, [entry, globals], kernelEntry);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function check(ts: TS, roots: string[], kernelEntry: string): Diagnostic[] {
  const program = ts.createProgram(roots, {
    noEmit: true,
    strict: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    allowJs: true,
    skipLibCheck: true,
    lib: ['lib.es2022.d.ts'],
    types: [],
    paths: { mote: [kernelEntry] },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return { severity: 'error', text };
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const lineText = d.file.text.split('\n')[line] ?? '';
    return {
      severity: 'error',
      text: `${text} (TS${d.code})`,
      location: { file: displayPath(d.file.fileName), line: line + 1, column: character, lineText: lineText.replace(/\r$/, '') },
    };
  });
}
