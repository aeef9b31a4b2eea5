// `mote build`'s type check (on unless --no-typecheck): TypeScript's type
// errors in the app as diagnostics. "mote" resolves to the declarations an
// app's editor sees (types/mote.d.ts, which brings in the guest's globals,
// types/globals.d.ts), so the build and the editor agree. TypeScript is
// loaded only for this (it is large).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CliError, displayPath, type Diagnostic } from './errors.ts';
import { nodeBuiltinMessage, nodeGlobalMessage, TOP_LEVEL_AWAIT } from './guest-limits.ts';
import { APP_COMPILER_OPTIONS } from './templates/tsconfig.ts';

type TS = typeof import('typescript');

function loadTypescript(): TS {
  try {
    return createRequire(import.meta.url)('typescript') as TS;
  } catch {
    throw new CliError('the type check needs the typescript package (a dependency of mote: run npm install in the mote checkout), or build with --no-typecheck');
  }
}

/** `kernelEntry` is kernel/index.ts in the mote checkout; the declarations sit
 *  in the same checkout, under types/ and dist/types/. */
export function typecheck(entry: string, kernelEntry: string): Diagnostic[] {
  const root = join(kernelEntry, '../..');
  const moteTypes = join(root, 'types/mote.d.ts');
  if (!existsSync(join(root, 'dist/types/index.d.ts'))) {
    throw new CliError("the kernel's declarations (dist/types) are not built yet: run `npm run build` in the mote checkout, or build with --no-typecheck");
  }
  const ts = loadTypescript();
  const { options } = ts.convertCompilerOptionsFromJson(APP_COMPILER_OPTIONS, root);
  const aliases = appAliases(ts, entry);
  const compilerOptions = { ...options, ...aliases, paths: { ...aliases.paths, mote: [moteTypes] } };
  const host = ts.createCompilerHost(compilerOptions);
  // As tsc does: JSDoc in .ts and .d.ts files is parsed only where it can give
  // a type error (the lib files' comments cost ~15% of the check otherwise).
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const program = ts.createProgram({ rootNames: [entry, join(root, 'types/globals.d.ts')], options: compilerOptions, host });
  // A syntax error is the bundler's to report, once, in its words.
  if (program.getSyntacticDiagnostics().length) return [];
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const text = aboutNode(d.code, message) ?? message;
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

/** The import aliases (`paths`, `baseUrl`) of the tsconfig.json esbuild
 *  reads for the entry: the nearest one up from it, its `extends` followed.
 *  The bundler resolves them, so the check must too ("@/x" would be "Cannot
 *  find module" here and bundle fine). The other options stay the
 *  scaffold's. An unreadable tsconfig gives none: the bundler says why. */
function appAliases(ts: TS, entry: string): { paths?: Record<string, string[]>; baseUrl?: string; pathsBasePath?: string } {
  const file = ts.findConfigFile(dirname(entry), ts.sys.fileExists);
  if (!file) return {};
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} };
  const options = ts.getParsedCommandLineOfConfigFile(file, {}, host)?.options;
  if (!options?.paths && !options?.baseUrl) return {};
  // pathsBasePath: where `paths` without a baseUrl are relative to (the tsconfig's folder; TypeScript sets it when parsing).
  const { paths, baseUrl, pathsBasePath } = options as { paths?: Record<string, string[]>; baseUrl?: string; pathsBasePath?: string };
  return { ...(paths ? { paths } : {}), ...(baseUrl ? { baseUrl } : {}), ...(pathsBasePath ? { pathsBasePath } : {}) };
}

/** TypeScript's message for a Node module or global, or a top-level await, said as mote would say it. */
function aboutNode(code: number, message: string): string | undefined {
  if (code === 1375 || code === 1378) return TOP_LEVEL_AWAIT;
  const module = code === 2307 ? /^Cannot find module '([^']+)'/.exec(message) : null;
  if (module) return nodeBuiltinMessage(module[1]!);
  const global = code === 2304 || code === 2580 || code === 2591 ? /^Cannot find name '([^']+)'/.exec(message) : null;
  return global ? nodeGlobalMessage(global[1]!) : undefined;
}
