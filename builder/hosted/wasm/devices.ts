// The wasm engine's devices: the imports of qemu/wasm/devices.c, implemented
// for one run. Power-off, a timeout and Ctrl-C throw an EngineStop, which
// unwinds the engine's stack out of the export that was running: the run is
// over, and its instance is not called again.
import { randomBytes } from 'node:crypto';

export class EngineStop {
  constructor(readonly status: number) {}
}

export interface DeviceHost {
  memory: WebAssembly.Memory;
  /** Console output, as the engine wrote it. */
  write(text: string): void;
  /** Console input bytes waiting, taken up to `max`. */
  read(max: number): Uint8Array | undefined;
  /** ms since the run began. */
  now(): number;
  /** A status to stop with now (timeout, interrupt), or undefined. */
  stopRequested(): number | undefined;
  /** Told just before the engine powers off (it can still be asked for figures). */
  poweringOff(): void;
}

export function deviceImports(host: DeviceHost): WebAssembly.Imports {
  const decoder = new TextDecoder('utf-8');
  const bytes = (ptr: number, len: number) => new Uint8Array(host.memory.buffer, ptr, len);
  return {
    env: { memory: host.memory },
    mote: {
      write(ptr: number, len: number) {
        host.write(decoder.decode(bytes(ptr, len), { stream: true }));
      },
      read(ptr: number, max: number): number {
        const chunk = host.read(max);
        if (!chunk) return 0;
        bytes(ptr, chunk.length).set(chunk);
        return chunk.length;
      },
      monotonic_ms: () => host.now(),
      wall_ms: () => Date.now(),
      exit(status: number) {
        host.poweringOff();
        throw new EngineStop(status);
      },
      poll_stop() {
        const status = host.stopRequested();
        if (status !== undefined) throw new EngineStop(status);
      },
      random: () => randomBytes(4).readUInt32LE(0),
    },
  };
}
