/**
 * The mote platform interface, ABI version 2 (2: hosts enforce the
 * manifest's declared memory, see `Manifest.memory`).
 *
 * This file is the whole contract between the JavaScript side of mote (the
 * kernel, the stdlib and the app) and whatever hosts it:
 *
 *   - the boot layer on bare x86 (`qemu/`, C, host name "metal");
 *   - the hosted runner on quickjs-emscripten (`builder/hosted/`, "hosted");
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
 *   4. if the timer is due, disarm it and call its handler; go to 2;
 *   5. if console input is wanted and available, pass it on; go to 2;
 *   6. if the timer is armed or input is wanted, wait (the CPU halts) for
 *      the first of the two; go to 4;
 *   7. otherwise nothing is left to do: stop with status 0.
 *
 * An exception that escapes a handler or a module, and a promise rejection
 * still unhandled after step 2, stop the host with `Exit.Uncaught` after it
 * prints one line naming the error, then the error's stack.
 *
 * Bump `PLATFORM_ABI` on any change to this file and to qemu/include/mote.h.
 */

export const PLATFORM_ABI = 2;

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
  /** The run passed the runner's --timeout (runner side only). */
  Timeout: 124,
} as const;

/** Memory figures, all in bytes. */
export interface MemoryInfo {
  /** RAM the host was given (QEMU's -m, or the hosted budget). */
  totalRam: number;
  /** The most the JS heap may grow to; allocations past it fail with an
   *  out-of-memory error that JS can catch. */
  heapLimit: number;
  /** Bytes the JS heap holds now. The boot layer counts its allocator's
   *  blocks exactly; the hosted engine's allocator reports no sizes, so there
   *  it is QuickJS's own estimate of what its objects hold (it misses some,
   *  a Map's records among them): compare figures within one host only. */
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
   *  one line starting "mote: degraded:" and runs the app. */
  memory?: { min?: number; full?: number };
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
   *  nothing else to do stops (step 7). */
  onInput(handler: ((text: string) => void) | null): void;

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

  // Reserved for the next ABI: `net`, a virtio-net device (send a frame, a handler
  // for received frames, the MAC address), driven by the same event loop.
}

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
