// Errors as data. The library throws the typed errors below (MoteError and
// its kinds), the commands CliError; the CLI reports either as one line
// (`mote: error: …`) with the exit status cli.ts gives its kind, never as a
// stack trace. Diagnostics (file:line plus a code frame) travel as data and
// are rendered once, compiler-style.
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

/** An error of the builder's library: one line saying what went wrong and
 *  what to do; diagnostics, when the app's code is at fault. */
export class MoteError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: no such app, a bad package.json, a file that cannot be read or written. */
export class InputError extends MoteError {}

/** The app's code did not bundle or type-check; the diagnostics say where. */
export class BuildError extends MoteError {}

/** A part of mote itself is missing or broken (the boot layer, the module
 *  compiler): `npm run build` makes them. */
export class SetupError extends MoteError {}

/** A RAM size that a host cannot give (the hosted engine's 2 GiB, this machine's RAM). */
export class LimitError extends MoteError {}

/** An argument the library refuses, as bad usage: a QEMU flag that mote sets itself. */
export class ArgumentError extends MoteError {}

/** An image that cannot be used, with the exit status that the boot layer would give it. */
export class ImageError extends MoteError {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** The work was stopped by a signal; `status` is 128 + its number. */
export class StoppedError extends MoteError {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** An error of the CLI's own (a command's flags and arguments), with its exit code. */
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
