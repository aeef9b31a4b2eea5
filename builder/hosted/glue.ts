// The platform object as the payload sees it, written in JS and evaluated in
// the hosted engine: it converts and checks arguments the way the boot layer's
// host_api.c does (ToNumber, ToInt32, the same TypeError and RangeError), then
// calls the runner's raw functions, which the payload never sees.
//
// `exit` spins after telling the runner: the runner's interrupt handler then
// aborts the running code, uncatchably, as the guard does (platform.ts: "No JS
// runs after it returns to the host").
export const PLATFORM_GLUE = String.raw`((host) => ({
  abi: 4,
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
  commandLine() { return host.commandLine(); },
  random(into) {
    if (!(into instanceof Uint8Array)) throw new TypeError('random: the argument must be a Uint8Array');
    into.set(new Uint8Array(host.random(into.length)));
  },
  exit(code) {
    code = code | 0;
    if (code < 0 || code > 127) throw new RangeError('exit: status ' + code + ' is outside 0..127');
    host.exit(code);
    for (;;) {}
  },
  net: netGlue(host),
}))`;

/** The platform's \`net\`, as host_net.c checks its arguments. Bytes cross as
 *  (buffer, offset, length), so nothing is copied inside the guest; the
 *  runner calls \`deliver\` with each event, a Uint8Array made here. */
export const NET_GLUE = String.raw`function netGlue(host) {
  const port = (p, min, what) => {
    p = +p;
    if (!Number.isInteger(p) || p < min || p > 65535) throw new RangeError(what + ': port ' + p + ' is outside ' + min + '..65535');
    return p;
  };
  const ip = (a, what) => {
    a = String(a);
    const parts = a.split('.');
    if (parts.length !== 4 || !parts.every((x) => /^(0|[1-9][0-9]{0,2})$/.test(x) && +x < 256)) throw new TypeError(what + ': ' + a + ' is not an IPv4 address');
    return a;
  };
  const bytes = (b, what) => {
    if (!(b instanceof Uint8Array)) throw new TypeError(what + ': the data must be a Uint8Array');
    return b;
  };
  // The runner reads a whole ArrayBuffer out of the engine: a small view of
  // a large buffer is copied out on its own first, or the copy is the buffer.
  const whole = (b) => (b.byteLength * 2 < b.buffer.byteLength ? b.slice() : b);
  let handler = null;
  host.netHandler((kind, id, a, b) => {
    if (a instanceof ArrayBuffer) a = new Uint8Array(a);
    handler(kind, id, a, b);
  });
  return {
    address() { return host.netAddress(); },
    listen(p, backlog) { return host.netListen(port(p, 0, 'listen'), Math.max(1, backlog | 0)); },
    connect(a, p) { return host.netConnect(ip(a, 'connect'), port(p, 1, 'connect')); },
    send(id, b) { b = whole(bytes(b, 'send')); return host.netSend(id | 0, b.buffer, b.byteOffset, b.byteLength); },
    pause(id, paused) { host.netPause(id | 0, !!paused); },
    shutdown(id) { host.netShutdown(id | 0); },
    close(id) { host.netClose(id | 0); },
    udpOpen(p) { return host.netUdpOpen(port(p, 0, 'udpOpen')); },
    udpSend(id, a, p, b) { b = whole(bytes(b, 'udpSend')); return host.netUdpSend(id | 0, ip(a, 'udpSend'), port(p, 1, 'udpSend'), b.buffer, b.byteOffset, b.byteLength); },
    onEvent(h) { handler = typeof h === 'function' ? h : null; host.netWanted(handler !== null); },
  };
}`;

/** Describes a thrown value for the one-line report: [text, stack or ""]. */
export const DESCRIBE_ERROR = String.raw`((e) => {
  let text, stack = '';
  try { text = String(e); } catch { text = '(unprintable value)'; }
  try { if (e instanceof Error && typeof e.stack === 'string') stack = e.stack; } catch {}
  return [text, stack];
})`;
