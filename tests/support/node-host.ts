/**
 * The "node" host: a plain-Node implementation of the mote Platform, for unit
 * tests. It runs the event loop written at the top of kernel/platform.ts on
 * top of Node's own loop (a `setImmediate` drains promise jobs between steps).
 *
 * Differences from the other hosts, all forced by running inside vitest:
 *   - `exit(code)` records the code and throws an `ExitSignal` instead of
 *     killing the process; the loop stops at its next step. Code that catches
 *     everything may see that error: the kernel stops all work once halted.
 *   - `guard` is best effort: running JS cannot be interrupted, so `onTrip`
 *     is called after a handler returns if the deadline has passed.
 *   - unhandled promise rejections are left to vitest, which fails the test.
 *
 * With `virtualTime`, the loop never sleeps: when it would wait for the timer,
 * the monotonic clock jumps straight to the deadline (it still counts the
 * real time JS spends running), so tests of timeouts are fast and their
 * order deterministic.
 */
import { randomFillSync } from 'node:crypto';
import { types } from 'node:util';
import type { Manifest, MemoryInfo, NetHandler, Platform } from '../../kernel/platform.ts';
import { PLATFORM_ABI, Exit } from '../../kernel/platform.ts';
import { nodeCopy } from './node-copy.ts';
import { NodeNet } from '../../builder/hosted/net.ts';
import type { HostedOptions } from '../../builder/hosted/types.ts';

export class ExitSignal extends Error {
  constructor(readonly code: number) {
    super(`mote: exit(${code})`);
    this.name = 'ExitSignal';
  }
}

export interface NodeHostOptions {
  virtualTime?: boolean;
  /** Console output is collected; also echo it to stdout. */
  echo?: boolean;
  memory?: Partial<MemoryInfo>;
  manifest?: Manifest;
  /** Chunks fed to an input handler, one per loop turn (no end of input
   *  is added: give '\x04' for one). */
  input?: string[];
  /** What `commandLine()` returns (kernel/args.ts's encoding). */
  commandLine?: string;
  /** The network, as the hosted runner has it (builder/hosted/net.ts). */
  net?: boolean;
  publish?: HostedOptions['publish'];
  onListening?: HostedOptions['onListening'];
}

export interface RunResult {
  code: number;
  output: string;
  /** The uncaught error, when code is Exit.Uncaught. */
  error?: unknown;
}

export interface NodeHost {
  platform: Platform;
  /** Installs the platform as globalThis.__mote, runs `main` as the entry and
   *  then the event loop until it stops. */
  run(main: () => unknown): Promise<RunResult>;
  output(): string;
  /** Ends a running loop at its next step with code -1, its output followed
   *  by `why` and what the loop was waiting for (a watchdog's report). */
  stop(why: string): void;
}

const DEFAULT_MANIFEST: Manifest = { format: 1, name: 'test', version: '0.0.0', entry: 'main.js', modules: [] };

export function createNodeHost(opts: NodeHostOptions = {}): NodeHost {
  const started = performance.now();
  let skipped = 0;
  let out = '';
  let exitCode: number | null = null;
  let timer: { deadline: number; handler: () => void } | null = null;
  let guardState: { deadline: number; onTrip: () => void } | null = null;
  let inputHandler: ((text: string) => void) | null = null;
  const input = [...(opts.input ?? [])];
  let wake: (() => void) | null = null;
  let netHandler: NetHandler | null = null;
  let stopped: string | null = null;
  const net = new NodeNet({ enabled: opts.net !== false, publish: opts.publish ?? [], wake: () => wake?.(), onListening: opts.onListening });
  const now = (): number => performance.now() - started + skipped;
  // heapUsed is the whole test worker's V8 heap, whatever earlier test files
  // left in it: the run's limit is 64 MiB above what it held at the start.
  // (A fixed 64 MiB had sockets refusing connections, as a heap over 3/4
  // full, once the worker's heap passed 48 MiB, and a CI run hang.)
  const heapRoom = process.memoryUsage().heapUsed + (64 << 20);

  const platform: Platform = {
    abi: PLATFORM_ABI,
    host: 'node',
    write(text) {
      out += text;
      if (opts.echo) process.stdout.write(text);
    },
    onInput(handler) {
      inputHandler = handler;
    },
    monotonicMs: now,
    wallMs: () => Date.now(),
    armTimer(deadlineMs, handler) {
      timer = { deadline: deadlineMs, handler };
    },
    disarmTimer() {
      timer = null;
    },
    guard(ms, onTrip) {
      guardState = ms > 0 && onTrip ? { deadline: now() + ms, onTrip } : null;
    },
    memory() {
      const m = process.memoryUsage();
      return {
        totalRam: opts.memory?.totalRam ?? heapRoom,
        heapLimit: opts.memory?.heapLimit ?? heapRoom,
        heapUsed: opts.memory?.heapUsed ?? m.heapUsed,
        reserved: opts.memory?.reserved ?? 0,
      };
    },
    manifest: () => opts.manifest ?? DEFAULT_MANIFEST,
    commandLine: () => opts.commandLine ?? '',
    copy: nodeCopy,
    random(into) {
      // isUint8Array, not instanceof: a scenario's arrays come from its vm context's realm.
      if (!types.isUint8Array(into)) throw new TypeError('random: the argument must be a Uint8Array');
      randomFillSync(into);
    },
    exit(code) {
      if (exitCode === null) exitCode = code;
      throw new ExitSignal(code);
    },
    net: {
      address: () => net.address(),
      listen: (port, backlog) => net.listen(port, backlog),
      connect: (ip, port) => net.connect(ip, port),
      send: (id, bytes) => net.send(id, bytes),
      pause: (id, paused) => net.pause(id, paused),
      shutdown: (id) => net.shutdown(id),
      close: (id) => net.close(id),
      udpOpen: (port) => net.udpOpen(port),
      udpSend: (id, ip, port, bytes) => net.udpSend(id, ip, port, bytes),
      onEvent(handler) {
        netHandler = handler;
      },
    },
  };
  /** Waits for a network event, or for `ms` if given. */
  const waitNet = (ms?: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const t = ms === undefined ? undefined : setTimeout(done, ms);
      function done() {
        if (t) clearTimeout(t);
        wake = null;
        resolve();
      }
      wake = done;
    });

  const drain = (): Promise<void> => new Promise((r) => setImmediate(r));

  async function run(main: () => unknown): Promise<RunResult> {
    globalThis.__mote = platform;
    let error: unknown;
    const call = (fn: () => unknown): void => {
      try {
        fn();
      } catch (e) {
        if (!(e instanceof ExitSignal) && error === undefined) error = e;
      }
      const g = guardState;
      if (g && now() > g.deadline) {
        guardState = null;
        call(g.onTrip);
      }
    };
    let timerWentLast = false;
    const fireTimer = () => {
      const t = timer!;
      timer = null;
      timerWentLast = true;
      call(t.handler);
    };
    call(main);
    for (;;) {
      await drain();
      if (stopped !== null) {
        const state = `timer ${timer ? `due in ${Math.round(timer.deadline - now())} ms` : 'none'}, ${net.openCount} sockets open, ${net.queued} events queued`;
        net.closeAll();
        return { code: -1, output: `${out}\n[node host] stopped: ${stopped} (${state})\n` };
      }
      if (exitCode !== null || error !== undefined) net.closeAll();
      if (exitCode !== null) return { code: exitCode, output: out };
      if (error !== undefined) {
        out += `Uncaught ${String(error)}\n`;
        return { code: Exit.Uncaught, output: out, error };
      }
      // A due timer goes first, but not twice running while input or a
      // network event waits (platform.ts, step 4).
      const timerDue = timer !== null && timer.deadline <= now();
      if (timerDue && !timerWentLast) {
        fireTimer();
        continue;
      }
      timerWentLast = false;
      if (inputHandler && input.length > 0) {
        const h = inputHandler;
        call(() => h(input.shift()!));
        continue;
      }
      const ev = netHandler ? net.take() : undefined;
      if (ev) {
        const h = netHandler!;
        call(() => h(...ev));
        continue;
      }
      if (timerDue) {
        fireTimer();
        continue;
      }
      if (timer) {
        const ms = Math.max(0, Math.ceil(timer.deadline - now()));
        if (opts.virtualTime && net.openCount === 0) skipped += timer.deadline - now();
        else await waitNet(ms);
        continue;
      }
      if (net.openCount > 0) {
        await waitNet();
        continue;
      }
      net.closeAll();
      return { code: Exit.Ok, output: out };
    }
  }

  const stop = (why: string): void => {
    stopped = why;
    wake?.();
  };
  return { platform, run, output: () => out, stop };
}
