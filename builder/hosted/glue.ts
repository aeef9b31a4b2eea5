// The platform object as the payload sees it, written in JS and evaluated in
// the hosted engine: it converts and checks arguments the way the boot layer's
// host_api.c does (ToNumber, ToInt32, the same TypeError and RangeError), then
// calls the runner's raw functions, which the payload never sees.
//
// `exit` spins after telling the runner: the runner's interrupt handler then
// aborts the running code, uncatchably, as the guard does (platform.ts: "No JS
// runs after it returns to the host").
export const PLATFORM_GLUE = String.raw`((host) => ({
  abi: 2,
  host: 'hosted',
  write(text) { host.write(String(text)); },
  onInput(handler) { host.onInput(typeof handler === 'function' ? handler : null); },
  monotonicMs() { return host.monotonicMs(); },
  wallMs() { return host.wallMs(); },
  armTimer(deadlineMs, handler) {
    const ms = +deadlineMs;
    if (typeof handler !== 'function') throw new TypeError('armTimer: the handler must be a function');
    host.armTimer(ms > 0 ? ms : 0, handler);
  },
  disarmTimer() { host.disarmTimer(); },
  guard(ms, onTrip) {
    ms = +ms;
    host.guard(ms > 0 ? ms : 0, typeof onTrip === 'function' ? onTrip : null);
  },
  memory() {
    const m = host.memory();
    return { totalRam: m[0], heapLimit: m[1], heapUsed: m[2], reserved: m[3] };
  },
  manifest() { return JSON.parse(host.manifest()); },
  exit(code) {
    code = code | 0;
    if (code < 0 || code > 127) throw new RangeError('exit: status ' + code + ' is outside 0..127');
    host.exit(code);
    for (;;) {}
  },
}))`;

/** Describes a thrown value for the one-line report: [text, stack or ""]. */
export const DESCRIBE_ERROR = String.raw`((e) => {
  let text, stack = '';
  try { text = String(e); } catch { text = '(unprintable value)'; }
  try { if (e instanceof Error && typeof e.stack === 'string') stack = e.stack; } catch {}
  return [text, stack];
})`;
