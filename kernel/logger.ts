/**
 * logger: leveled log lines, like OTP's logger. The API that the core, the
 * stdlib and apps log through: each call becomes a LogEvent naming the
 * process logging (the running process, read from the process table), which
 * log_format.ts filters by level and writes, as `[error] <0.42.0> message`.
 */
import { state } from './process.ts';
import { enabled, handle, type Level } from './log_format.ts';

export { LEVELS, setLevel, getLevel, enabled, type Level, type LogEvent } from './log_format.ts';

export function log(level: Level, ...args: unknown[]): void {
  if (!enabled(level)) return;
  handle({ level, pid: state.current ? state.current.pid : null, args });
}

export const emergency = (...a: unknown[]): void => log('emergency', ...a);
export const alert = (...a: unknown[]): void => log('alert', ...a);
export const critical = (...a: unknown[]): void => log('critical', ...a);
export const error = (...a: unknown[]): void => log('error', ...a);
export const warning = (...a: unknown[]): void => log('warning', ...a);
export const notice = (...a: unknown[]): void => log('notice', ...a);
export const info = (...a: unknown[]): void => log('info', ...a);
export const debug = (...a: unknown[]): void => log('debug', ...a);
