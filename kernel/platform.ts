/**
 * The mote platform interface, ABI version 5 (2: hosts enforce the
 * manifest's declared memory, see `Manifest.memory`; 3: the network, `net`;
 * 4: `commandLine`, 0x04 on the console input as the end of input, and
 * `random`; 5: `copy`, a message's deep copy in the host's code).
 *
 * This file is the whole contract between the JavaScript side of mote (the
 * kernel, the stdlib and the app) and whatever hosts it:
 *
 *   - the boot layer on bare x86 (`qemu/`, C, host name "metal");
 *   - the hosted runner: the boot layer's host core in WebAssembly (`builder/hosted/`, "hosted");
 *   - plain Node, for unit tests (`tests/support/`, "node").
 *
 * Every host installs one object of type `Platform` as `globalThis.__mote`
 * before any module of the payload runs, and every host behaves as written
 * here. The kernel reaches the host through `platform()` below and nothing
 * else; app code reaches it only through the kernel.
 *
 * Errors: a function here never throws unless its comment says so. A host
 * that cannot do what is asked reports it through the return value.
 *
 * The event loop. A host runs the payload like QuickJS's own `js_std_loop`:
 *
 *   1. evaluate the entry module named by the manifest;
 *   2. run every pending promise job;
 *   3. if `exit` was called, stop with its code;
 *   4. if the timer is due, disarm it and call its handler; go to 2 (but if
 *      the last turn did this, first give steps 5 and 6 their turn: a timer
 *      that is always due, as the kernel's 0 ms yield is while any process
 *      can run, must not starve input and the network);
 *   5. if console input is wanted and available, pass it on; go to 2;
 *   6. if a network event is pending, pass it to the `net.onEvent` handler
 *      (one event per turn, in the order they happened); go to 2;
 *   7. if the timer is armed, input is wanted or any socket is open, wait
 *      (the CPU halts) for the first of timer, console and network; go to 4;
 *   8. otherwise nothing is left to do: stop with status 0.
 *
 * An exception that escapes a handler or a module, and a promise rejection
 * still unhandled after step 2, stop the host with `Exit.Uncaught` after it
 * prints one line naming the error, then the error's stack.
 *
 * Bump `PLATFORM_ABI` on any change to this file and to qemu/include/mote.h.
 */

export const PLATFORM_ABI = 5;

/**
 * Exit statuses. An app exits with 0..99 through `exit`; the codes from 100 up
 * are mote's own, the same in every host, and listed in docs/ARCHITECTURE.md.
 * The boot layer reports them through isa-debug-exit, and the QEMU runner maps
 * QEMU's status back to these numbers.
 */
export const Exit = {
  /** The program finished, or called exit(0). */
  Ok: 0,
  /** Highest status an app may pass to `exit`. */
  AppMax: 99,
  /** An uncaught JS exception or unhandled rejection; the stack was printed. */
  Uncaught: 100,
  /** The allocator ran dry outside any JS code that could catch it. */
  OutOfMemory: 101,
  /** The payload failed its checks (bad magic, checksum or tar structure). */
  PayloadCorrupt: 102,
  /** The payload is shorter than its header says: a truncated image. */
  PayloadTruncated: 103,
  /** The manifest names an entry module that is not in the payload. */
  NoEntry: 104,
  /** A CPU exception (page fault, invalid opcode, ...). */
  CpuException: 105,
  /** Something reached a Linux system call; the call is named. */
  Syscall: 106,
  /** RAM too small to start the engine: refused before boot, one line. */
  TooLittleMemory: 107,
  /** The payload's format version is newer than this boot layer. */
  FormatVersion: 108,
  /** The boot environment is unusable (no memory map, no start info). */
  BadBoot: 109,
  /** The machine stopped with no status: a triple fault or a reset (the
   *  QEMU runner tells it from a clean power-off; runner side only). */
  GuestReset: 110,
  /** A permanent application failed: its top supervisor reached its restart
   *  intensity, or it exited; one line names it (the kernel's, every host). */
  AppFailed: 111,
  /** The run passed the runner's --timeout (runner side only). */
  Timeout: 124,
} as const;

/** Longest command line a host takes, in bytes (CMDLINE_MAX in
 *  qemu/include/param.h): longer ones are refused before the app runs. */
export const COMMAND_LINE_MAX = 4096;

/** The console input byte that ends the input (see `Platform.onInput`). */
export const END_OF_INPUT = '\x04';

/** Memory figures, all in bytes. */
export interface MemoryInfo {
  /** RAM the host was given (QEMU's -m, or the hosted budget). */
  totalRam: number;
  /** The most the JS heap may grow to; allocations past it fail with an
   *  out-of-memory error that JS can catch. */
  heapLimit: number;
  /** Bytes the JS heap holds now: the C host's allocator counts its blocks
   *  exactly (qemu/src/alloc.c), on metal and in the wasm engine alike. The
   *  tests' plain-Node host gives V8's figure: compare within one host only. */
  heapUsed: number;
  /** Bytes of RAM the host keeps for itself: code, static data, stack, image. */
  reserved: number;
}

/** One module of the payload, as the manifest lists it. */
export interface ManifestModule {
  /** Name an `import` uses to load it, e.g. "app/main.js". */
  name: string;
  /** Bytes in the payload. */
  size: number;
  /** Lower loads first; 0 is needed to boot at all. */
  priority: number;
}

/** The boot layer's own RAM use, in bytes, as the builder read it from the
 *  boot layer it packed (qemu/build/mote-boot.json). Hosted runs ignore it. */
export interface BootFootprint {
  /** Where the image is loaded (physical = virtual). */
  loadAddress: number;
  /** Code and read-only data. */
  code: number;
  /** Initialised data. */
  data: number;
  /** Zeroed data other than the stack: page tables, device state. */
  bss: number;
  /** The C stack, which QuickJS's stack limit sits inside. */
  stack: number;
  /** Where the payload segment starts; the heap begins after it. */
  payloadAddress: number;
  /** Below this much heap the boot layer refuses to start the engine. */
  minHeap: number;
  /** Heap kept back from JS for the host itself. */
  heapReserve: number;
  /** Heap the network takes at boot when the machine has a NIC (its buffers
   *  and lwIP's state); none without one (`--net none`). */
  netDevice?: number;
}

/** The manifest carried in every image (`manifest.json` in the payload). */
export interface Manifest {
  /** Image format version the manifest follows. */
  format: number;
  name: string;
  version: string;
  /** Module run first. */
  entry: string;
  modules: ManifestModule[];
  /** Heap bytes the app declares it needs (package.json "mote.memory"):
   *  `min` to start at all, `full` to run fully. Every host compares them
   *  with its heap limit before the entry runs: below `min` it refuses to
   *  boot with one line and `Exit.TooLittleMemory`; below `full` it prints
   *  one line starting "mote: degraded:" and runs the app. `optional`: the
   *  heap each optional module needs once loaded (kernel/optional.ts, which
   *  checks it; hosts ignore it). `start`: the heap `mote build` measured
   *  the app to need to start (builder/start-need.ts); hosts refuse below
   *  it as below `min`. */
  memory?: { min?: number; full?: number; optional?: Record<string, number>; start?: number };
  /** A static IPv4 address for the boot layer's network instead of DHCP
   *  (package.json "mote.net"); netmask defaults to 255.255.255.0. The Node
   *  hosts use the machine's own network and ignore it. */
  net?: { address: string; netmask?: string; gateway?: string };
  /** Bytes of code each Web API the app names adds to its modules
   *  (kernel/web/ file name → bytes), for `mote inspect`; hosts ignore it. */
  webApis?: Record<string, number>;
  /** Environment defaults (package.json "mote.env"); the command line's
   *  `NAME=value` words override them (kernel/args.ts). */
  env?: Record<string, string>;
  /** "raw" (package.json "mote.console"): the runners give the app every
   *  key, Ctrl-C included, instead of stopping on it (an interactive shell
   *  cancels a line with it). Absent: Ctrl-C stops `mote run` and `mote boot`. */
  console?: 'raw';
  build?: Record<string, string>;
  boot?: BootFootprint;
}

export interface Platform {
  /** The ABI the host implements; the kernel refuses to start on a mismatch. */
  readonly abi: number;
  /** Which host this is. For logs and reports only: the kernel MUST NOT
   *  change its behaviour on it. */
  readonly host: 'metal' | 'hosted' | 'node';

  /** Write text to the console (serial port, stdout). Synchronous and in
   *  order; UTF-8 on the wire. No newline is added. */
  write(text: string): void;
  /** Ask for console input: `handler` is called from the event loop with each
   *  chunk that arrives. `null` stops asking; a host with no input wanted and
   *  nothing else to do stops (step 7). Input not asked for stays with the
   *  host (the UART, the runner's stdin) until it is. The end of the input is
   *  the byte 0x04 (EOT, a terminal's Ctrl-D) in the text: a serial line has
   *  no end of its own, so a host whose input does end (a pipe, a file)
   *  delivers one 0x04 after the last byte, as `mote boot` writes one to
   *  QEMU after piped input. */
  onInput(handler: ((text: string) => void) | null): void;

  /** The command line the node was started with: on metal the kernel command
   *  line (QEMU's `-append`, from the PVH start info), on the other hosts the
   *  same text built by the runner; "" if none. At most `COMMAND_LINE_MAX`
   *  bytes of UTF-8. kernel/args.ts parses it (kernel/README.md gives the
   *  encoding): `NAME=value` words are environment, the rest arguments. */
  commandLine(): string;

  /** Fill `into` (a Uint8Array) with random bytes fit for keys: the CPU's
   *  RDSEED/RDRAND or a virtio-rng device on metal, Node's crypto hosted.
   *  Throws an Error that says so when the machine has no such source; a
   *  host MUST NOT fall back to guessable bytes. */
  random(into: Uint8Array): void;

  /** A deep copy of plain data, made in the host's code (a message's copy
   *  is most of its cost in JS): the kernel's copy (kernel/term.ts) for the
   *  terms it covers, so that the kernel need walk only the others. It
   *  copies primitives (strings and bigints are immutable: the same value),
   *  arrays (`length` elements, a hole read as undefined) and plain objects
   *  (prototype Object.prototype or null; own enumerable string keys, each
   *  defined on the copy, so "__proto__" stays a key), recursively; an
   *  object whose prototype is one of `shared` (at most 8) is not copied
   *  but passed as it is. It returns false, having run no JS code, when the
   *  term holds anything else: a symbol, a symbol key, a function, any other
   *  object (Map, typed array, class instance), a proxy, an accessor
   *  property, a cycle, or nesting deeper than 64; the kernel copies that
   *  term itself. Otherwise it sets `into.value` to the copy and `into.size`
   *  to the term's size estimate as kernel/term.ts counts it (16 per object
   *  or shared value, 16 + 8 per element per array, 8 + key length per
   *  property, 16 + length per string, 16 per bigint, 8 per other
   *  primitive, except an array's numbers, booleans and undefined) and
   *  returns true. The kernel may call it detached (`this` undefined).
   *  Throws only what the engine throws (out of memory). */
  copy(value: unknown, shared: readonly object[], into: { value: unknown; size: number }): boolean;

  /** Milliseconds since the host started, fractional, never decreasing. */
  monotonicMs(): number;
  /** Milliseconds since the Unix epoch (what `Date.now()` also reads). */
  wallMs(): number;

  /** Arm the one timer: once the monotonic clock reaches `deadlineMs`, the
   *  event loop disarms it and calls `handler`, once. Arming again replaces
   *  both the deadline and the handler. A deadline in the past fires at the
   *  next turn of the loop. */
  armTimer(deadlineMs: number, handler: () => void): void;
  /** Disarm the timer, if armed. */
  disarmTimer(): void;

  /** Guard against runaway code. After `guard(ms, onTrip)`, JS that runs past
   *  `ms` milliseconds from now without a new call to `guard` is aborted with
   *  an error that JS cannot catch; the stack unwinds to the event loop, which
   *  then calls `onTrip` once. `guard(0, null)` disarms. Hosts that cannot
   *  interrupt running code (plain Node) call `onTrip` after the code returns
   *  if the deadline passed, and say so in their name: best effort. */
  guard(ms: number, onTrip: (() => void) | null): void;

  /** Memory figures, cheap enough to call on every scheduler turn. */
  memory(): MemoryInfo;

  /** The image's manifest. Modules themselves load by name through `import`
   *  and `import()`, which the host resolves from the payload. */
  manifest(): Manifest;

  /** Stop the program with `code` (0..99 for apps, or an `Exit` status).
   *  No JS runs after it returns to the host: hosts that can power off at
   *  once do; the others abort the running code as `guard` does. */
  exit(code: number): never;

  /** The network: TCP and UDP sockets over IPv4. */
  readonly net: Net;
}

/**
 * Sockets, at the level of a socket API (the boot layer runs lwIP over
 * virtio-net; the Node hosts run Node's `net` and `dgram`).
 *
 * A socket is a positive integer id, unique for the host's life (ids are
 * never reused). Every call returns at once; what completes later comes back
 * as an event through the event loop (step 6). Calls on an id that is not an
 * open socket do nothing and return -1 where they return a number.
 *
 * Addresses are IPv4 literals ("10.0.2.2"), ports 0..65535. Under QEMU's user
 * networking the node is 10.0.2.15 and the machine running QEMU is 10.0.2.2;
 * the Node hosts map 10.0.2.2 to 127.0.0.1, so one app runs on both. Which
 * host port reaches a listening port is the runner's business (`-p`).
 *
 * Errors are POSIX names in lower case: 'eaddrinuse', 'econnrefused',
 * 'econnreset', 'etimedout', 'ehostunreach', 'enetdown' (no network),
 * 'enomem' (no buffer or socket to be had), 'einval'.
 *
 * Events, as `handler(kind, id, a, b)`:
 *   'listening'  id, a = the bound port (the one chosen, for port 0)
 *   'accepted'   id = the listener, a = the new connection's id,
 *                b = the peer as "ip:port"; the new socket is open
 *   'connected'  id, a = the local end as "ip:port"
 *   'data'       id, a = a Uint8Array the kernel now owns (never empty)
 *   'writable'   id: room again after a `send` that took less than asked
 *   'closed'     id: the peer closed its side; no data follows, but the id
 *                stays open (sending still works) until `close`
 *   'error'      id, a = the reason; the socket is gone and the id closed
 *   'datagram'   id, a = a Uint8Array, b = the sender as "ip:port"
 * No event follows `close(id)`.
 */
export interface Net {
  /** The node's own IPv4 address, or "" while it has none (DHCP pending,
   *  or no network). */
  address(): string;
  /** Listen for TCP connections on `port` (0: any free port) with a queue of
   *  `backlog` unaccepted connections. 'listening' or 'error' follows.
   *  Throws a RangeError for a port outside 0..65535. */
  listen(port: number, backlog: number): number;
  /** Open a TCP connection; 'connected' or 'error' follows. Throws a
   *  TypeError for an address that is not an IPv4 literal, a RangeError for
   *  a port outside 1..65535. */
  connect(ip: string, port: number): number;
  /** Queue bytes to send on a connected socket. Returns how many were taken
   *  (the host copied them), from 0 to `bytes.length`; if fewer than all, a
   *  'writable' event follows once there is room. -1 if not open. */
  send(id: number, bytes: Uint8Array): number;
  /** Stop (true) or restart (false) delivering 'data' for a connection. While
   *  stopped, received data stays with the host and the peer's window
   *  closes: the way backpressure reaches the sender. */
  pause(id: number, paused: boolean): void;
  /** Close the sending side once queued data has gone (a FIN); receiving
   *  goes on. */
  shutdown(id: number): void;
  /** Close the socket at once: a listener stops listening (connections it
   *  accepted stay open), a connection is closed (or reset if data is still
   *  unsent after a short linger). The id is freed; no event follows. */
  close(id: number): void;
  /** Open a UDP socket bound to `port` (0: any); 'listening' or 'error'
   *  follows; datagrams then arrive as 'datagram'. */
  udpOpen(port: number): number;
  /** Send one datagram. Returns bytes.length if it was queued, 0 if it was
   *  dropped for want of a buffer, -1 if the socket is not open. */
  udpSend(id: number, ip: string, port: number, bytes: Uint8Array): number;
  /** Receive events (step 6); `null` stops. Events that come while no
   *  handler is set are kept until one is. */
  onEvent(handler: NetHandler | null): void;
}

export type NetEventKind = 'listening' | 'accepted' | 'connected' | 'data' | 'writable' | 'closed' | 'error' | 'datagram';
export type NetHandler = (kind: NetEventKind, id: number, a?: unknown, b?: unknown) => void;

declare global {
  // eslint-disable-next-line no-var
  var __mote: Platform | undefined;
}

/** The host's platform object. Throws if the code runs outside a mote host. */
export function platform(): Platform {
  const p = globalThis.__mote;
  if (!p) throw new Error('mote: no platform installed (globalThis.__mote is missing)');
  if (p.abi !== PLATFORM_ABI) {
    throw new Error(`mote: platform ABI ${p.abi} does not match the kernel's ${PLATFORM_ABI}`);
  }
  return p;
}
