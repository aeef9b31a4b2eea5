/** A listener's or handler's throw, on the console's error line (the
 *  prelude's console on every host). No kernel import, so the file that uses
 *  it pulls nothing else in. */
export function report(...args: unknown[]): void {
  (globalThis as { console?: { error(...a: unknown[]): void } }).console?.error(...args);
}
