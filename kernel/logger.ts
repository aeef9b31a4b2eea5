/**
 * logger: leveled log lines on the console, like OTP's logger with its
 * default handler. Levels, most severe first:
 *
 *   emergency alert critical error warning notice info debug
 *
 * A line is written when its level is at least as severe as the primary
 * level (default `notice`, as in OTP). Lines look like
 * `[error] <0.42.0> message`; the pid is the process logging, if any.
 */
import { platform } from './platform.ts';
import { format } from './inspect.ts';

export const LEVELS = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'] as const;
export type Level = (typeof LEVELS)[number];

let primary = LEVELS.indexOf('notice');
/** Returns the pid text of the calling process, if any (set by the kernel). */
let who: () => string | null = () => null;

export function setWho(fn: () => string | null): void {
  who = fn;
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
  return primary < 0 ? 'none' : LEVELS[primary];
}

export function enabled(level: Level): boolean {
  return rank(level) <= primary;
}

export function log(level: Level, ...args: unknown[]): void {
  if (!enabled(level)) return;
  const pid = who();
  platform().write(`[${level}]${pid ? ' ' + pid : ''} ${format(...args)}\n`);
}

export const emergency = (...a: unknown[]): void => log('emergency', ...a);
export const alert = (...a: unknown[]): void => log('alert', ...a);
export const critical = (...a: unknown[]): void => log('critical', ...a);
export const error = (...a: unknown[]): void => log('error', ...a);
export const warning = (...a: unknown[]): void => log('warning', ...a);
export const notice = (...a: unknown[]): void => log('notice', ...a);
export const info = (...a: unknown[]): void => log('info', ...a);
export const debug = (...a: unknown[]): void => log('debug', ...a);
