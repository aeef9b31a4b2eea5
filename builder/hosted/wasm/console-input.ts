// Console input for the wasm engine: bytes queued from a string or a stream,
// read once the payload first asks for input, then taken by the engine's
// read import up to the size of its buffer. The end of the input is the
// byte 0x04 (END_OF_INPUT, kernel/platform.ts), as `mote boot` sends it.
import { END_OF_INPUT } from '../../../kernel/platform.ts';

export class ConsoleInput {
  private readonly queue: Uint8Array[] = [];
  private attached = false;

  /** `wake` is told when bytes arrive. */
  constructor(
    private readonly source: string | NodeJS.ReadableStream | undefined,
    private readonly wake: () => void,
  ) {}

  /** Up to `max` bytes waiting, or undefined. The first call attaches the source. */
  take(max: number): Uint8Array | undefined {
    this.attach();
    const first = this.queue[0];
    if (!first) return undefined;
    if (first.length <= max) return this.queue.shift();
    this.queue[0] = first.subarray(max);
    return first.subarray(0, max);
  }

  /** Stop reading the stream (the run is over). */
  detach(): void {
    const s = this.source;
    if (!this.attached || s === undefined || typeof s === 'string') return;
    s.off('data', this.onData);
    s.off('end', this.onEnd);
    s.pause();
  }

  private readonly onData = (chunk: string | Buffer) => {
    // An empty chunk would be read as "no input now", and the engine would
    // sleep with the rest still queued (an empty stdin string, then 0x04).
    if (chunk.length === 0) return;
    this.queue.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    this.wake();
  };

  private readonly onEnd = () => this.onData(END_OF_INPUT);

  private attach(): void {
    if (this.attached) return;
    this.attached = true;
    const s = this.source;
    if (s === undefined) return;
    if (typeof s === 'string') {
      this.onData(s);
      return this.onEnd();
    }
    s.on('data', this.onData);
    s.on('end', this.onEnd);
  }
}
