// The globals every mote guest has, as apps see them: what kernel/prelude.ts
// installs on a host that lacks them (bare QuickJS has none of these).
// An app gets them by importing "mote" (types/mote.d.ts references this
// file), and `mote build` checks against this same file. A global added to
// the prelude is declared here too; tests/cli/types.test.ts checks that every
// name here exists in a running guest.

interface MoteConsole {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  trace(...args: unknown[]): void;
}
declare var console: MoteConsole;

/** A timer's handle is a number; a delay under 1 ms or over 2^31-1 means 1 ms, as in Node. */
declare function setTimeout(fn: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function clearTimeout(id: unknown): void;
declare function setInterval(fn: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function clearInterval(id: unknown): void;
declare function queueMicrotask(fn: () => void): void;
