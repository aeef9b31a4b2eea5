// One hosted run: a QuickJS engine with the platform object installed, the
// entry module evaluated, then the event loop written at the top of
// kernel/platform.ts, step for step as the boot layer's host.c runs it.
import { randomBytes } from 'node:crypto';
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten';
import { END_OF_INPUT, Exit, type Manifest } from '../../kernel/platform.ts';
import { hostedMemory, type HostedMemory } from './ram-model.ts';
import { newEngine, newHeapState, type HeapState } from './engine.ts';
import { DESCRIBE_ERROR, NET_GLUE, PLATFORM_GLUE } from './glue.ts';
import { NodeNet } from './net.ts';
import { fileText, installModuleLoader, type PayloadFiles } from './modules.ts';
import { REJECTION_TRACKER } from './rejections.ts';
import type { HostedOptions, HostedResult, Payload } from './types.ts';

/** QuickJS's stack limit, as the boot layer sets it (STACK_SIZE - STACK_MARGIN). */
const MAX_STACK = 224 * 1024;
/** The boot layer reads the UART 256 bytes at a time. */
const INPUT_CHUNK = 256;
/** The status of a run stopped through `signal` (128 + SIGINT, as shells say). */
export const INTERRUPTED = 130;
/** Longest single wait Node allows a timer. */
const FOREVER_MS = 2 ** 31 - 1;
/** How long the loop runs always-due timers before Node's event loop gets a turn. */
const NODE_TURN_MS = 10;

/** Less free heap than this, with the memory at its cap, is a full heap:
 *  enough for QuickJS to build and describe an ordinary error. */
const HEAP_FULL_PROBE = 64 * 1024;

/** Thrown inside the runner to end the run with a status. */
class Stop {
  constructor(readonly status: number) {}
}

interface Armed {
  deadline: number;
  fn: QuickJSHandle;
}

export class HostedRun {
  private readonly t0 = performance.now();
  private readonly mem: HostedMemory;
  private readonly manifestText: string;
  private output = '';
  private ctx!: QuickJSContext;
  private rt!: QuickJSRuntime;
  private heap: HeapState = newHeapState();
  private tracker?: QuickJSHandle;
  private describe!: QuickJSHandle;

  private exitCode: number | undefined;
  private timedOut = false;
  private timer: Armed | null = null;
  private guardDeadline = 0;
  private guardFn: QuickJSHandle | null = null;
  private guardTripped = false;
  private inputFn: QuickJSHandle | null = null;
  private readonly input: string[] = [];
  private inputAttached = false;
  private wake: (() => void) | null = null;
  private heapPeak = 0;
  private payloadRunning = false;
  private readonly net: NodeNet;
  /** The glue's event deliverer, and whether the guest wants events. */
  private netDeliver: QuickJSHandle | null = null;
  private netWanted = false;

  constructor(private readonly payload: Payload, private readonly opts: HostedOptions) {
    const manifestFile = fileText(payload.files, 'manifest.json');
    this.manifestText = manifestFile ?? JSON.stringify(payload.manifest);
    this.mem = hostedMemory(payload.manifest, payload.tarBytes ?? estimateTarBytes(payload.files), opts.memoryBytes);
    this.net = new NodeNet({
      enabled: opts.net !== false,
      publish: opts.publish ?? [],
      wake: () => this.wake?.(),
      onListening: opts.onListening,
    });
  }

  async run(): Promise<HostedResult> {
    let status: number;
    try {
      await this.start();
      await this.loop();
      status = Exit.Ok;
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError && this.payloadRunning) {
        // The engine trapped while the payload ran. QuickJS does this when an
        // allocation it does not check fails with the heap at its cap: the
        // guest ran out of memory where it could not catch it, as the boot
        // layer's Exit.OutOfMemory says.
        this.write(`mote: out of memory where JS could not catch it: the engine trapped (${e.message})\n`);
        status = Exit.OutOfMemory;
      } else if (e instanceof Stop) {
        status = e.status;
      } else {
        // quickjs-emscripten's errors hold the whole engine: keep only the words.
        throw new Error(`hosted runner: ${(e as Error)?.message ?? String(e)}`);
      }
    } finally {
      this.detachInput();
      this.net.closeAll();
    }
    return {
      status,
      output: this.opts.stdout ? '' : this.output,
      wallMs: performance.now() - this.t0,
      memory: { ...this.mem, heapPeak: this.heapPeak },
    };
  }

  // ---- start-up: the order of host.c's host_run ----

  private async start(): Promise<void> {
    if (this.opts.memoryBytes < this.mem.imageEnd + 4096) {
      // The QEMU runner refuses these before boot (qemu.ts checkFits); so do we.
      this.fatal(
        Exit.TooLittleMemory,
        `refusing to boot: the image needs ${Math.ceil((this.mem.imageEnd + 4096) / 1024)} KiB of RAM to load (itself and a page above it), ${Math.floor(this.opts.memoryBytes / 1024)} KiB given`,
      );
    }
    const heapCapacity = this.mem.heapLimit + this.mem.heapReserve;
    if (heapCapacity < this.mem.minHeap) {
      this.fatal(
        Exit.TooLittleMemory,
        `refusing to boot: ${Math.floor(this.mem.totalRam / 1024)} KiB of RAM, ${Math.floor(Math.max(0, heapCapacity) / 1024)} KiB free for the heap, ${Math.floor(this.mem.minHeap / 1024)} KiB needed`,
      );
    }
    this.checkDeclaredMemory();
    const engine = await newEngine(this.mem.heapLimit);
    this.heap = engine.heap;
    this.rt = engine.module.newRuntime();
    this.rt.setMaxStackSize(MAX_STACK);
    this.rt.setInterruptHandler(() => this.interrupt());
    installModuleLoader(this.rt, this.payload.files);
    this.ctx = this.rt.newContext();
    this.describe = this.evalScript(DESCRIBE_ERROR, 'mote:describe');
    if (this.opts.trackRejections !== false) this.tracker = this.evalScript(REJECTION_TRACKER, 'mote:rejections');
    this.installPlatform();

    const entry = this.payload.manifest.entry;
    const source = typeof entry === 'string' ? fileText(this.payload.files, entry) : undefined;
    if (source === undefined) this.fatal(Exit.NoEntry, `payload: the entry module '${entry}' named by the manifest is not in the image`);
    this.payloadRunning = true;
    const r = this.ctx.evalCode(source, entry, { type: 'module' });
    this.settle(r);
  }

  /** As host.c's check_declared_memory: below the app's declared `min` heap
   *  refuse to boot; below its `full` heap start, and say it runs degraded. */
  private checkDeclaredMemory(): void {
    const { min = 0, full = 0 } = this.payload.manifest.memory ?? {};
    const kib = (n: number) => Math.floor(n / 1024);
    if (min > this.mem.heapLimit) {
      this.fatal(
        Exit.TooLittleMemory,
        `refusing to boot: the app needs ${kib(min)} KiB of heap to start (mote.memory.min), this RAM gives ${kib(this.mem.heapLimit)} KiB`,
      );
    }
    if (full > this.mem.heapLimit) {
      this.write(`mote: degraded: the app asks for ${kib(full)} KiB of heap to run fully (mote.memory.full), this RAM gives ${kib(this.mem.heapLimit)} KiB\n`);
    }
  }

  private evalScript(source: string, name: string): QuickJSHandle {
    return this.ctx.unwrapResult(this.ctx.evalCode(source, name, { type: 'global', strict: true }));
  }

  private installPlatform(): void {
    const ctx = this.ctx;
    const host = ctx.newObject();
    const fn = (name: string, impl: (...args: QuickJSHandle[]) => QuickJSHandle | void) =>
      ctx.newFunction(name, impl).consume((f) => ctx.setProp(host, name, f));
    fn('write', (text) => this.write(ctx.getString(text)));
    fn('onInput', (handler) => {
      this.inputFn?.dispose();
      this.inputFn = ctx.typeof(handler) === 'function' ? handler.dup() : null;
    });
    fn('monotonicMs', () => ctx.newNumber(this.now()));
    fn('wallMs', () => ctx.newNumber(Date.now()));
    fn('armTimer', (deadline, handler) => {
      this.timer?.fn.dispose();
      this.timer = { deadline: ctx.getNumber(deadline), fn: handler.dup() };
    });
    fn('disarmTimer', () => {
      this.timer?.fn.dispose();
      this.timer = null;
    });
    fn('guard', (ms, onTrip) => {
      const span = ctx.getNumber(ms);
      this.guardFn?.dispose();
      this.guardFn = ctx.typeof(onTrip) === 'function' ? onTrip.dup() : null;
      this.guardDeadline = span > 0 ? this.now() + span : 0;
    });
    fn('memory', () => {
      const used = this.heapUsed();
      const arr = ctx.newArray();
      [this.mem.totalRam, this.mem.heapLimit, used, this.mem.reserved].forEach((v, i) =>
        ctx.newNumber(v).consume((n) => ctx.setProp(arr, i, n)),
      );
      return arr;
    });
    fn('manifest', () => ctx.newString(this.manifestText));
    fn('commandLine', () => ctx.newString(this.opts.commandLine ?? ''));
    fn('random', (n) => {
      const b = randomBytes(ctx.getNumber(n));
      return ctx.newArrayBuffer(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
    });
    fn('exit', (code) => {
      if (this.exitCode === undefined) this.exitCode = ctx.getNumber(code);
    });
    this.installNet(host);
    const glue = this.evalScript(`(() => {\n${NET_GLUE}\nreturn ${PLATFORM_GLUE};\n})()`, 'mote:platform');
    const platform = ctx.unwrapResult(ctx.callFunction(glue, ctx.undefined, host));
    ctx.setProp(ctx.global, '__mote', platform);
    platform.dispose();
    glue.dispose();
    host.dispose();
  }

  /** The raw functions under the glue's `net` (glue.ts has checked the arguments). */
  private installNet(host: QuickJSHandle): void {
    const ctx = this.ctx;
    const net = this.net;
    const fn = (name: string, impl: (...args: QuickJSHandle[]) => QuickJSHandle | void) =>
      ctx.newFunction(name, impl).consume((f) => ctx.setProp(host, name, f));
    const num = (h: QuickJSHandle) => ctx.getNumber(h);
    const bytes = (buf: QuickJSHandle, off: QuickJSHandle, len: QuickJSHandle): Uint8Array =>
      ctx.getArrayBuffer(buf).consume((all) => all.value.slice(num(off), num(off) + num(len)));
    fn('netHandler', (deliver) => {
      this.netDeliver?.dispose();
      this.netDeliver = deliver.dup();
    });
    fn('netWanted', (on) => {
      this.netWanted = ctx.dump(on) === true;
    });
    fn('netAddress', () => ctx.newString(net.address()));
    fn('netListen', (port, backlog) => ctx.newNumber(net.listen(num(port), num(backlog))));
    fn('netConnect', (ip, port) => ctx.newNumber(net.connect(ctx.getString(ip), num(port))));
    fn('netSend', (id, buf, off, len) => {
      let data: Uint8Array;
      try {
        data = bytes(buf, off, len);
      } catch {
        // No room in the engine's heap to copy the bytes out: nothing is
        // taken now, and 'writable' says when to try again.
        return ctx.newNumber(net.retryLater(num(id)));
      }
      return ctx.newNumber(net.send(num(id), data));
    });
    fn('netPause', (id, paused) => net.pause(num(id), ctx.dump(paused) === true));
    fn('netShutdown', (id) => net.shutdown(num(id)));
    fn('netClose', (id) => net.close(num(id)));
    fn('netUdpOpen', (port) => ctx.newNumber(net.udpOpen(num(port))));
    fn('netUdpSend', (id, ip, port, buf, off, len) =>
      ctx.newNumber(net.udpSend(num(id), ctx.getString(ip), num(port), bytes(buf, off, len))),
    );
  }

  /** Step 6: one network event to the guest, if one is pending and wanted. */
  private deliverNetEvent(): boolean {
    if (!this.netWanted || !this.netDeliver) return false;
    const ev = this.net.take();
    if (!ev) return false;
    const ctx = this.ctx;
    const args = ev.map((v) => {
      if (typeof v === 'string') return ctx.newString(v);
      if (typeof v === 'number') return ctx.newNumber(v);
      if (v instanceof Uint8Array) return ctx.newArrayBuffer(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
      return ctx.undefined;
    });
    const fn = this.netDeliver.dup();
    try {
      this.call(fn, ...args);
    } finally {
      fn.dispose();
      for (const a of args) if (a !== ctx.undefined) a.dispose();
    }
    return true;
  }

  // ---- the event loop (kernel/platform.ts, steps 2..8) ----

  /** Whether the last turn fired the timer (fairness: see loop). */
  private timerWentLast = false;
  /** When Node's event loop last had a turn (see loop). */
  private nodeTurnAt = 0;

  private fireTimer(): void {
    const { fn } = this.timer!;
    this.timer = null;
    this.timerWentLast = true;
    this.call(fn);
    fn.dispose();
  }

  private async loop(): Promise<void> {
    for (;;) {
      this.heap.repay(); // outside the engine: take back what a rescue lent
      this.runJobs();
      this.checkRejections();
      if (this.guardTripped) {
        this.guardTripped = false;
        if (this.guardFn) this.call(this.guardFn);
        continue;
      }
      // A due timer goes first, but not twice running while input or a
      // network event waits (platform.ts, step 4): the kernel keeps a 0 ms
      // timer armed while any process can run.
      const timerDue = this.timer !== null && this.now() >= this.timer.deadline;
      // Input and sockets reach this loop through Node's own event loop, which
      // a timer that is always due would never let run: give it a turn every
      // NODE_TURN_MS of such work.
      if (timerDue && this.now() - this.nodeTurnAt >= NODE_TURN_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        this.nodeTurnAt = this.now();
      }
      if (timerDue && !this.timerWentLast) {
        this.fireTimer();
        continue;
      }
      this.timerWentLast = false;
      if (this.inputFn) {
        this.attachInput();
        const chunk = this.input.shift();
        if (chunk !== undefined) {
          const fn = this.inputFn.dup();
          this.ctx.newString(chunk).consume((text) => this.call(fn, text));
          fn.dispose();
          continue;
        }
      }
      if (this.deliverNetEvent()) continue;
      if (timerDue) {
        this.fireTimer();
        continue;
      }
      if (!this.timer && !this.inputFn && this.net.openCount === 0) return;
      await this.waitUntil(this.timer ? this.timer.deadline : Infinity);
    }
  }

  /** Every queued job, in one call into the engine while none fails (a call
   *  per job cost more than a short job). After exit() the jobs still queued
   *  in this batch may run (the interrupt handler only stops a long one), but
   *  they cannot write, and no batch follows. */
  private runJobs(): void {
    while (this.rt.hasPendingJob()) {
      const r = this.rt.executePendingJobs(-1);
      if (r.error) this.onException(r.error);
      else r.dispose();
      this.checkExit();
    }
  }

  private checkRejections(): void {
    if (!this.tracker) return;
    const take = this.ctx.getProp(this.tracker, 'take');
    const r = this.ctx.callFunction(take, this.tracker);
    take.dispose();
    if (r.error) {
      // Interrupted in the tracker itself: by exit, the timeout or an abort
      // (checkExit stops the run), or by the guard (the loop handles it next).
      r.error.dispose();
      this.checkExit();
      return;
    }
    const found = r.value;
    if (this.ctx.typeof(found) === 'object') {
      const reason = this.ctx.getProp(found, 0);
      this.dieUncaught(reason, 'unhandled promise rejection');
    }
    found.dispose();
  }

  private call(fn: QuickJSHandle, ...args: QuickJSHandle[]): void {
    this.settle(this.ctx.callFunction(fn, this.ctx.undefined, ...args));
  }

  /** Act on the result of running JS: an exception is the guard's abort, an
   *  exit, a timeout, or an uncaught error. */
  private settle(r: { error?: QuickJSHandle; value?: QuickJSHandle }): void {
    if (r.error) this.onException(r.error);
    else r.value?.dispose();
    this.checkExit();
  }

  private onException(err: QuickJSHandle): void {
    this.checkExit();
    if (this.guardTripped) {
      err.dispose();
      return;
    }
    this.dieUncaught(err, 'uncaught exception');
  }

  private checkExit(): void {
    if (this.timedOut) throw new Stop(Exit.Timeout);
    if (this.opts.signal?.aborted) throw new Stop(INTERRUPTED);
    if (this.exitCode !== undefined) throw new Stop(this.exitCode);
  }

  private dieUncaught(err: QuickJSHandle, what: string): never {
    const r = this.ctx.callFunction(this.describe, this.ctx.undefined, err);
    let text: unknown;
    let stack: unknown;
    if (!r.error) {
      [text, stack] = this.ctx.dump(r.value) as unknown[];
      r.value.dispose();
    } else r.error.dispose();
    // QuickJS throws null when it cannot allocate the error it means to throw
    // (the boot layer keeps a rescue margin for that; this engine cannot),
    // and with the heap full the description itself can fail. Either, with
    // the heap at its cap and still full, is the out-of-memory error; a
    // `throw null` with memory to spare stays an uncaught exception.
    const isNull = this.ctx.typeof(err) === 'object' && text === 'null';
    err.dispose();
    if ((isNull || typeof text !== 'string') && this.heap.atCap && !this.heap.canAllocate(HEAP_FULL_PROBE)) {
      this.fatal(Exit.OutOfMemory, 'out of memory: the engine could not build its error');
    }
    if (typeof text !== 'string') text = '(unprintable value)';
    if (typeof stack !== 'string') stack = '';
    this.write(`mote: ${what}: ${text}\n${stack}`);
    throw new Stop(Exit.Uncaught);
  }

  private fatal(status: number, line: string): never {
    this.write(`mote: ${line}\n`);
    throw new Stop(status);
  }

  // ---- the host side of the platform ----

  private now(): number {
    return performance.now() - this.t0;
  }

  private interrupt(): boolean {
    if (!this.payloadRunning) return false; // never inside the runner's own set-up scripts
    if (this.exitCode !== undefined || this.timedOut || this.opts.signal?.aborted) return true;
    const now = this.now();
    if (this.opts.timeoutMs && now > this.opts.timeoutMs) {
      this.timedOut = true;
      return true;
    }
    if (this.guardDeadline && now > this.guardDeadline) {
      this.guardDeadline = 0;
      this.guardTripped = true;
      return true;
    }
    return false;
  }

  private write(text: string): void {
    if (this.exitCode !== undefined) return; // nothing shows after exit
    if (this.opts.stdout) this.opts.stdout.write(text);
    else this.output += text;
  }

  private heapUsed(): number {
    const h = this.rt.computeMemoryUsage();
    const counted = (this.ctx.dump(h) as { memory_used_size: number }).memory_used_size;
    h.dispose();
    // QuickJS's count misses some of what it holds (a quarter, for a queue
    // of small objects): once it passes half the heap, what the allocator
    // can still give is the better figure, so the kernel sees a full heap
    // as full (its memory pressure acts at 7/8).
    const limit = this.mem.heapLimit;
    // (No count at all, NaN, when the guest had no room for the figures.)
    const used = counted * 2 < limit ? counted : Math.max(counted || 0, limit - this.heap.room(Math.floor(limit / 4)));
    if (used > this.heapPeak) this.heapPeak = used;
    return used;
  }

  private waitUntil(deadline: number): Promise<void> {
    const budgetLeft = this.opts.timeoutMs ? this.opts.timeoutMs - this.now() : Infinity;
    if (budgetLeft <= 0) throw new Stop(Exit.Timeout);
    const ms = Math.min(deadline - this.now(), budgetLeft, FOREVER_MS);
    const signal = this.opts.signal;
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, Math.max(0, ms));
      const self = this;
      function done() {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        self.wake = null;
        resolve();
      }
      this.wake = done;
      signal?.addEventListener('abort', done);
    }).then(() => {
      if (this.opts.timeoutMs && this.now() >= this.opts.timeoutMs) throw new Stop(Exit.Timeout);
      if (this.opts.signal?.aborted) throw new Stop(INTERRUPTED);
    });
  }

  private readonly onData = (chunk: string | Buffer) => {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    for (let i = 0; i < text.length; i += INPUT_CHUNK) this.input.push(text.slice(i, i + INPUT_CHUNK));
    this.wake?.();
  };

  private readonly onEnd = () => this.onData(END_OF_INPUT);

  /** Console input is read once the payload first asks for it. */
  private attachInput(): void {
    if (this.inputAttached) return;
    this.inputAttached = true;
    const stdin = this.opts.stdin;
    if (stdin === undefined) return;
    if (typeof stdin === 'string') {
      this.onData(stdin);
      return this.onEnd();
    }
    stdin.setEncoding?.('utf8');
    stdin.on('data', this.onData);
    stdin.on('end', this.onEnd);
  }

  private detachInput(): void {
    const stdin = this.opts.stdin;
    if (!this.inputAttached || stdin === undefined || typeof stdin === 'string') return;
    stdin.off('data', this.onData);
    stdin.off('end', this.onEnd);
    stdin.pause();
  }
}

/** A ustar archive's size for these files: a 512-byte header per file, the
 *  data padded to 512, two zero blocks at the end. */
export function estimateTarBytes(files: PayloadFiles): number {
  let n = 1024;
  for (const f of files.values()) {
    const len = typeof f === 'string' ? new TextEncoder().encode(f).length : f.length;
    n += 512 + Math.ceil(len / 512) * 512;
  }
  return n;
}

export type { Manifest };
