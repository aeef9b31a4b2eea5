/**
 * Report text for crashes, so a crash prints its stack once: the crash
 * report of the process that raised the error prints it (`crashText`); the
 * other lines about the same crash (the supervisor's, a caller's that died
 * of it) print the reason without stacks (`briefReason`), as OTP prints one
 * crash report and then a supervisor report.
 */
import { inspect } from '../inspect.ts';
import type { Reason } from '../reasons.ts';

/** An Error turned into a reason (signals.ts reasonOf): `{ error, stack }`. */
function isErrorReason(r: unknown): r is { error: string; stack: string } {
  return r !== null && typeof r === 'object' && typeof (r as { error?: unknown }).error === 'string' && typeof (r as { stack?: unknown }).stack === 'string';
}

/** The reason with every error's stack left out (an error becomes its "Name: message"). */
function strip(r: unknown, depth: number): unknown {
  if (isErrorReason(r)) return r.error;
  if (depth > 8) return r;
  if (Array.isArray(r)) return r.map((x) => strip(x, depth + 1));
  if (r !== null && typeof r === 'object' && Object.getPrototypeOf(r) === Object.prototype) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(r)) if (k !== 'stack') o[k] = strip((r as Record<string, unknown>)[k], depth + 1);
    return o;
  }
  return r;
}

/** For the crash report: an error's message, then its frames on lines of
 *  their own; stacks nested deeper (another process's) left out. */
export function crashText(r: Reason): string {
  if (isErrorReason(r)) {
    const frames = (r.stack.startsWith(r.error) ? r.stack.slice(r.error.length) : r.stack).replace(/^\n+|\n+$/g, '');
    return frames ? `${r.error}\n${frames}` : r.error;
  }
  return briefReason(r);
}

/** For every other line about a crash: no stacks. */
export function briefReason(r: Reason): string {
  if (typeof r === 'string') return r;
  const s = strip(r, 0);
  return typeof s === 'string' ? s : inspect(s);
}
