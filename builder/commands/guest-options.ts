// What boot and run hand the app: arguments (after --), --env NAME=value and
// --log-level, as one command line (builder/cmdline.ts; kernel/args.ts reads it).
import { InvalidArgumentError, Option } from 'commander';
import { LEVELS } from '../../kernel/logger.ts';
import { encodeCommandLine, parseEnvFlag } from '../cmdline.ts';
import { CliError } from '../errors.ts';

export interface GuestFlags {
  env?: [string, string][];
  logLevel?: string;
}

/** The environment variable the kernel's logger takes its level from. */
export const LOG_LEVEL_VAR = 'MOTE_LOG_LEVEL';

function envPair(text: string, before: [string, string][] | undefined): [string, string][] {
  try {
    return [...(before ?? []), parseEnvFlag(text)];
  } catch (e) {
    throw new InvalidArgumentError((e as CliError).message.replace(/^--env \S*: /, ''));
  }
}

export function envOption(): Option {
  return new Option('-e, --env <name=value>', 'an environment variable for the app (repeatable); overrides package.json "mote.env"').argParser(envPair);
}

export function logLevelOption(): Option {
  return new Option('--log-level <level>', `the kernel logger's level (default notice: logger.info and debug are not shown); sets ${LOG_LEVEL_VAR}`).choices([...LEVELS, 'all', 'none']);
}

export const GUEST_HELP = `App arguments and environment: words after -- are the app's arguments
(args() in the app), --env NAME=value its environment (env(), getenv());
package.json's "mote": {"env": {...}} gives defaults. --log-level sets
${LOG_LEVEL_VAR}: the logger shows notice and above unless told (logger.info
is not shown at the default). Console input: stdin reaches the app
(stdin.readLine(), stdin.read()); a pipe's end is its end of input. On a
terminal Ctrl-C stops the app, unless its package.json says "mote":
{"console": "raw"}: then every key is the app's (images/shell's Ctrl-C
cancels a line; halt() or Ctrl-D leaves).`;

/** The command line the guest starts with. */
export function guestCommandLine(args: readonly string[], flags: GuestFlags): string {
  const env: Record<string, string> = {};
  if (flags.logLevel) env[LOG_LEVEL_VAR] = flags.logLevel;
  for (const [k, v] of flags.env ?? []) env[k] = v;
  return encodeCommandLine(args, env);
}
