// Errors the CLI reports as one line (`mote: error: …`) with an exit code,
// never as a stack trace. Diagnostics (file:line plus a code frame) travel as
// data and are rendered once, compiler-style.
import { isAbsolute, relative } from 'node:path';
export interface Diagnostic {
  severity: 'error' | 'warning';
  text: string;
  location?: { file: string; line: number; column: number; lineText: string };
}

/** Exit codes of the CLI itself (a run's own status passes through as is). */
export const CliExit = {
  /** The command failed: bad input, a failed build, a crash in a budget run. */
  Failed: 1,
  /** Bad usage: an unknown flag, a malformed size. */
  Usage: 2,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = CliExit.Failed,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** `file:line:col: error: text` and the line with a caret under the column. */
export function formatDiagnostic(d: Diagnostic): string {
  if (!d.location) return `${d.severity}: ${d.text}`;
  const { file, line, column, lineText } = d.location;
  const gutter = `${line} | `;
  return [
    `${file}:${line}:${column + 1}: ${d.severity}: ${d.text}`,
    `  ${gutter}${lineText}`,
    `  ${' '.repeat(gutter.length + column)}^`,
  ].join('\n');
}

/** A path as the user would like to read it: relative to where they are, unless it is elsewhere. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
