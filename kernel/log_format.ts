/**
 * Log events and the handler that writes them, as OTP's logger_std_h with
 * its formatter: it filters an event by level and writes its line on the
 * console. Below the core: it knows nothing of processes; an event names its
 * process (logger.ts, in the core, makes the events). Levels, most severe
 * first:
 *
 *   emergency alert critical error warning notice info debug
 *
 * An event is written when its level is at least as severe as the primary
 * level (default `notice`, as in OTP), as `[error] <0.42.0> message`. The
 * environment variable MOTE_LOG_LEVEL (`mote run|boot --log-level L`) sets
 * the primary level at start; `setLevel` changes it.
 */
import { platform } from './platform.ts';
import { getenv } from './args.ts';
import { format } from './inspect.ts';
import type { Pid } from './term.ts';

export const LEVELS = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'] as const;
export type Level = (typeof LEVELS)[number];

/** One thing to log: its level, the process logging (null outside any), and
 *  what to say (formatted as console.log formats its arguments). */
export interface LogEvent {
  level: Level;
  pid: Pid | null;
  args: unknown[];
}

const DEFAULT = LEVELS.indexOf('notice');
/** The primary level's rank; read from MOTE_LOG_LEVEL at first use. */
let primary: number | undefined;

function current(): number {
  primary ??= fromEnvironment();
  return primary;
}

function fromEnvironment(): number {
  let text: string | undefined;
  try {
    text = getenv('MOTE_LOG_LEVEL');
  } catch {
    return DEFAULT; // no platform installed: a unit test of the formatter
  }
  if (text === undefined || text === '') return DEFAULT;
  if (text === 'all') return LEVELS.length - 1;
  if (text === 'none') return -1;
  const i = LEVELS.indexOf(text as Level);
  if (i >= 0) return i;
  platform().write(`[warning] MOTE_LOG_LEVEL=${text} is not a level (one of ${LEVELS.join(', ')}, all, none): notice it is\n`);
  return DEFAULT;
}

function rank(level: string): number {
  const i = LEVELS.indexOf(level as Level);
  if (i < 0) throw new RangeError(`logger: unknown level ${JSON.stringify(level)} (one of ${LEVELS.join(', ')})`);
  return i;
}

export function setLevel(level: Level | 'all' | 'none'): void {
  primary = level === 'all' ? LEVELS.length - 1 : level === 'none' ? -1 : rank(level);
}

export function getLevel(): Level | 'none' {
  const p = current();
  return p < 0 ? 'none' : LEVELS[p]!;
}

export function enabled(level: Level): boolean {
  return rank(level) <= current();
}

/** Writes the event's line, if its level passes the primary level. */
export function handle(e: LogEvent): void {
  if (!enabled(e.level)) return;
  platform().write(`[${e.level}]${e.pid ? ' ' + e.pid : ''} ${format(...e.args)}\n`);
}
