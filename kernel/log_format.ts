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
 * level (default `notice`, as in OTP), as `[error] <0.42.0> message`.
 */
import { platform } from './platform.ts';
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

let primary = LEVELS.indexOf('notice');

function rank(level: string): number {
  const i = LEVELS.indexOf(level as Level);
  if (i < 0) throw new RangeError(`logger: unknown level ${JSON.stringify(level)} (one of ${LEVELS.join(', ')})`);
  return i;
}

export function setLevel(level: Level | 'all' | 'none'): void {
  primary = level === 'all' ? LEVELS.length - 1 : level === 'none' ? -1 : rank(level);
}

export function getLevel(): Level | 'none' {
  return primary < 0 ? 'none' : LEVELS[primary];
}

export function enabled(level: Level): boolean {
  return rank(level) <= primary;
}

/** Writes the event's line, if its level passes the primary level. */
export function handle(e: LogEvent): void {
  if (!enabled(e.level)) return;
  platform().write(`[${e.level}]${e.pid ? ' ' + e.pid : ''} ${format(...e.args)}\n`);
}
