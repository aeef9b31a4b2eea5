// The command line a node starts with, from `mote run|boot IMAGE --env K=V -- args…`:
// written in the encoding kernel/args.ts reads (kernel/README.md), so
// the hosted runner and QEMU's -append carry the same text.
import { COMMAND_LINE_MAX } from '../kernel/platform.ts';
import { ArgumentError } from './errors.ts';

const PLAIN = /^[A-Za-z0-9_.\/:,@%+=^~-]+$/;
/** An environment variable's name, as kernel/args.ts reads `NAME=value`. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One word, quoted only where it must be. */
export function quoteWord(s: string): string {
  if (PLAIN.test(s) && s !== '--') return s;
  return '"' + s.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n') + '"';
}

/** `K=V` as `--env` takes it: [name, value], or a usage error. */
export function parseEnvFlag(text: string): [string, string] {
  const eq = text.indexOf('=');
  const name = eq < 0 ? text : text.slice(0, eq);
  if (eq < 0 || !ENV_NAME.test(name)) {
    throw new ArgumentError(`--env ${text}: give NAME=value, NAME of letters, digits and _ (not starting with a digit)`);
  }
  return [name, text.slice(eq + 1)];
}

/** The command line for these arguments and environment; a usage error if
 *  longer than the hosts take. */
export function encodeCommandLine(args: readonly string[], env: Readonly<Record<string, string>>): string {
  const words = Object.entries(env).map(([k, v]) => `${k}=${quoteWord(v)}`);
  if (args.length > 0) words.push('--', ...args.map(quoteWord));
  const line = words.join(' ');
  const bytes = Buffer.byteLength(line);
  if (bytes > COMMAND_LINE_MAX) {
    throw new ArgumentError(`the arguments and environment take ${bytes} bytes on the command line; at most ${COMMAND_LINE_MAX} fit`);
  }
  if (line.includes('\0')) throw new ArgumentError('an argument or --env value holds a NUL byte, which a command line cannot carry');
  return line;
}
