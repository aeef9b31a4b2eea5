// One run on the wasm engine (qemu/wasm/): the driver gives the module a
// WebAssembly.Memory capped at the RAM asked for, copies the payload segment
// in above the module's own data and stack, boots it, then turns its event
// loop from Node's: a turn that ran something is followed by another, one
// that did not says until when to sleep. Console input and output, the
// clocks and power-off are the module's imports (devices.ts), and so is the
// network, on the Node hosts' sockets (net-imports.ts, ../net.ts).
import { COMMAND_LINE_MAX, Exit, PLATFORM_ABI } from '../../../kernel/platform.ts';
import { ImageError } from '../../errors.ts';
import { NodeNet } from '../net.ts';
import { hostedMemory, type HostedMemory } from '../ram-model.ts';
import { INTERRUPTED, type HostedOptions, type HostedResult, type Payload } from '../types.ts';
import { ConsoleInput } from './console-input.ts';
import { deviceImports, EngineStop } from './devices.ts';
import { engineMemory, engineModule, growMemory, type EngineExports } from './module.ts';
import { netImports } from './net-imports.ts';
import { payloadSegment, payloadTar } from './payload.ts';

const PAGE = 65536;
/** Room for aligning the payload's end and the heap's start (16 each). */
const HEAP_SLACK = 32;
/** alloc.c's end-of-region sentinel: in the region, not in the heap. */
const SENTINEL = 16;
/** Longest the driver turns the loop before it lets Node's own run (input, Ctrl-C). */
const BUSY_MS = 50;
/** Longest single wait Node allows a timer. */
const FOREVER_MS = 2 ** 31 - 1;

export async function runWasm(payload: Payload, opts: HostedOptions): Promise<HostedResult> {
  checkPlatformAbi(payload);
  const segment = payloadSegment(await payloadTar(payload));
  return new WasmRun(payload, opts, segment).run();
}

/** An image whose kernel speaks another platform ABI than this engine would
 *  stop at its kernel's first host call: say so before it starts. Images
 *  built before the manifest named the ABI are let through. */
function checkPlatformAbi(payload: Payload): void {
  const abi = payload.manifest.build?.platformAbi;
  if (abi === undefined || abi === String(PLATFORM_ABI)) return;
  throw new ImageError(
    `the image's kernel speaks platform ABI ${abi} and this mote's hosted engine ABI ${PLATFORM_ABI}: rebuild it with this mote (mote build), or boot it (mote boot runs the image's own boot layer)`,
    Exit.FormatVersion,
  );
}

class WasmRun {
  private readonly t0 = performance.now();
  private readonly mem: HostedMemory;
  private output = '';
  private stopped = false;
  private heapPeak = 0;
  private wake: (() => void) | null = null;
  private readonly input: ConsoleInput;
  private readonly net: NodeNet;

  constructor(
    payload: Payload,
    private readonly opts: HostedOptions,
    private readonly segment: Uint8Array,
  ) {
    this.mem = hostedMemory(payload.manifest, segment.length - 64, opts.memoryBytes);
    this.input = new ConsoleInput(opts.stdin, () => this.wake?.());
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
      await this.boot();
      status = Exit.Ok; // not reached: the loop ends in power-off
    } catch (e) {
      if (e instanceof EngineStop) status = e.status;
      else if ((typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) || e instanceof RangeError) {
        // The engine itself faulted (a trap, or Node's own stack ran out
        // under it): what a CPU exception is on metal, which words a run
        // out of stack as "mote: C stack overflow (...)" too.
        const what = e instanceof RangeError ? 'C stack overflow (Node\'s stack, under the wasm engine)' : `the wasm engine faulted: ${e.message}`;
        this.write(`mote: ${what}${faultPlace(e)}\n`);
        status = Exit.CpuException;
      } else throw e;
    } finally {
      this.stopped = true;
      this.input.detach();
      this.net.closeAll();
    }
    return {
      status,
      output: this.opts.stdout ? '' : this.output,
      wallMs: performance.now() - this.t0,
      memory: { ...this.mem, heapPeak: this.heapPeak },
    };
  }

  private async boot(): Promise<never> {
    const ram = this.opts.memoryBytes;
    if (ram < this.mem.imageEnd + 4096) {
      // As the QEMU runner refuses it (qemu.ts checkFits).
      this.write(
        `mote: refusing to boot: the image needs ${Math.ceil((this.mem.imageEnd + 4096) / 1024)} KiB of RAM to load (itself and a page above it), ${Math.floor(ram / 1024)} KiB given\n`,
      );
      throw new EngineStop(Exit.TooLittleMemory);
    }
    const module = engineModule();
    const maxPages = Math.floor(ram / PAGE);
    const memory = engineMemory(Math.min(maxPages, Math.ceil((2 << 20) / PAGE)), maxPages);
    const imports = deviceImports({
      memory,
      write: (text) => this.write(text),
      read: (max) => this.input.take(max),
      now: () => this.now(),
      stopRequested: () => this.stopRequested(),
      poweringOff: () => this.sampleHeap(engine),
    });
    Object.assign(imports.mote!, netImports(this.net, () => memory, () => this.wake?.()));
    const instance = new WebAssembly.Instance(module, imports);
    const engine = instance.exports as unknown as EngineExports;
    engine._initialize();
    const at = Number(engine.mote_payload_at());
    // The heap metal would have at this RAM, as far as the capped memory holds it.
    const room = maxPages * PAGE - (at + this.segment.length + HEAP_SLACK);
    const heapBytes = Math.max(0, Math.min(this.mem.heapLimit + this.mem.heapReserve + SENTINEL, room));
    const pages = Math.ceil((at + this.segment.length + HEAP_SLACK + heapBytes) / PAGE);
    const have = memory.buffer.byteLength / PAGE;
    if (pages > have) growMemory(memory, pages - have);
    new Uint8Array(memory.buffer, at, this.segment.length).set(this.segment);
    const line = new TextEncoder().encode(this.opts.commandLine ?? '');
    new Uint8Array(memory.buffer, Number(engine.mote_cmdline_at()), COMMAND_LINE_MAX).set(line.subarray(0, COMMAND_LINE_MAX));
    engine.mote_boot(this.mem.totalRam, heapBytes, line.length, this.mem.minHeap, this.opts.trackRejections === false ? 0 : 1);
    return this.loop(engine);
  }

  private async loop(engine: EngineExports): Promise<never> {
    let busySince = this.now();
    for (;;) {
      const deadline = engine.mote_turn();
      this.sampleHeap(engine);
      if (deadline < 0) {
        if (this.now() - busySince > BUSY_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          busySince = this.now();
        }
        continue;
      }
      await this.sleepUntil(deadline);
      const stop = this.stopRequested(); // woken by the timeout or Ctrl-C, not by the engine's deadline
      if (stop !== undefined) throw new EngineStop(stop);
      busySince = this.now();
    }
  }

  private sampleHeap(engine: EngineExports): void {
    const used = engine.mote_heap_used();
    if (used > this.heapPeak) this.heapPeak = used;
  }

  private sleepUntil(deadline: number): Promise<void> {
    const budgetLeft = this.opts.timeoutMs ? this.opts.timeoutMs - this.now() : Infinity;
    const ms = Math.min(deadline - this.now(), budgetLeft, FOREVER_MS);
    const signal = this.opts.signal;
    // Aborted already (during the turn): its event has fired, none will come.
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        this.wake = null;
        resolve();
      };
      const t = setTimeout(done, ms);
      this.wake = done;
      signal?.addEventListener('abort', done);
    });
  }

  private now(): number {
    return performance.now() - this.t0;
  }

  private stopRequested(): number | undefined {
    if (this.opts.signal?.aborted) return INTERRUPTED;
    if (this.opts.timeoutMs && this.now() >= this.opts.timeoutMs) return Exit.Timeout;
    return undefined;
  }

  private write(text: string): void {
    if (this.stopped) return;
    if (this.opts.stdout) this.opts.stdout.write(text);
    else this.output += text;
  }
}

/** Where in the engine's C a fault happened, from the module's own function
 *  names (the link keeps them): " in f < caller < ...", as metal names the
 *  faulting address. */
function faultPlace(e: Error): string {
  const frames = [...(e.stack ?? '').matchAll(/at (\S+) \(wasm:/g)].map((m) => m[1]).slice(0, 4);
  return frames.length ? ` in ${frames.join(' < ')}` : '';
}
