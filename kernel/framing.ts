/**
 * Packet framing on a byte stream, as gen_tcp's `packet` option does it:
 *
 *   'raw'       no framing: bytes as they come (recv may ask for a length)
 *   1 | 2 | 4   each packet carries a big-endian length header of that many
 *               bytes, which the receiver strips and the sender adds (4 is
 *               what Erlang distribution uses)
 *   'line'      a packet is a line, up to and including its '\n'
 *
 * A packet longer than `maxPacket` (a header that says so, or a line that
 * has not ended by then) is an error, 'emsgsize': a hostile peer cannot make
 * the receiver buffer without bound.
 */

export type Packet = 'raw' | 1 | 2 | 4 | 'line';

export const PACKETS: readonly Packet[] = ['raw', 1, 2, 4, 'line'];

export class FramingError extends Error {
  constructor(readonly reason: 'emsgsize') {
    super(`framing: ${reason}`);
  }
}

/** Received bytes not yet handed out, as the chunks they came in. */
export class Framer {
  private chunks: Uint8Array[] = [];
  /** Offset already consumed in chunks[0]. */
  private offset = 0;
  private size = 0;
  /** For 'line': bytes already searched for '\n'. */
  private searched = 0;

  constructor(readonly packet: Packet, readonly maxPacket: number) {}

  /** Bytes held. */
  get buffered(): number {
    return this.size;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  /**
   * The next whole packet, or null until one is complete. For 'raw', `want`
   * bytes exactly (0: all that is held, null if none). Throws FramingError.
   */
  next(want = 0): Uint8Array | null {
    switch (this.packet) {
      case 'raw':
        if (want > 0) return this.size >= want ? this.take(want) : null;
        return this.size > 0 ? this.take(this.size) : null;
      case 'line': {
        const at = this.indexOfNewline();
        if (at >= 0) {
          if (at + 1 > this.maxPacket) throw new FramingError('emsgsize');
          this.searched = 0;
          return this.take(at + 1);
        }
        if (this.size > this.maxPacket) throw new FramingError('emsgsize');
        return null;
      }
      default: {
        const h = this.packet;
        if (this.size < h) return null;
        const head = this.peek(h);
        let len = 0;
        for (let i = 0; i < h; i++) len = len * 256 + head[i];
        if (len > this.maxPacket) throw new FramingError('emsgsize');
        if (this.size < h + len) return null;
        this.take(h);
        return this.take(len);
      }
    }
  }

  /** Drops everything held, allocating nothing (the heap may be full). */
  clear(): void {
    this.chunks.length = 0;
    this.offset = this.size = this.searched = 0;
  }

  /** Everything held, whatever the framing (what is left at a close). */
  rest(): Uint8Array {
    return this.take(this.size);
  }

  private indexOfNewline(): number {
    let pos = 0;
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c];
      const from = c === 0 ? this.offset : 0;
      const len = chunk.length - from;
      if (pos + len > this.searched) {
        const start = from + Math.max(0, this.searched - pos);
        const i = chunk.indexOf(10, start);
        if (i >= 0) return pos + (i - from);
      }
      pos += len;
    }
    this.searched = pos;
    return -1;
  }

  /** The first n bytes, left in place (n <= size). */
  private peek(n: number): Uint8Array {
    const first = this.chunks[0];
    if (first.length - this.offset >= n) return first.subarray(this.offset, this.offset + n);
    const out = new Uint8Array(n);
    this.copyOut(out, false);
    return out;
  }

  /** The first n bytes, consumed (n <= size). One chunk's worth is a view. */
  private take(n: number): Uint8Array {
    if (n === 0) return new Uint8Array(0);
    const first = this.chunks[0];
    if (first.length - this.offset >= n) {
      const out = first.subarray(this.offset, this.offset + n);
      this.offset += n;
      this.size -= n;
      if (this.offset === first.length) {
        this.chunks.shift();
        this.offset = 0;
      }
      return out;
    }
    const out = new Uint8Array(n);
    this.copyOut(out, true);
    return out;
  }

  private copyOut(out: Uint8Array, consume: boolean): void {
    let filled = 0;
    let c = 0;
    let offset = this.offset;
    while (filled < out.length) {
      const chunk = this.chunks[c];
      const n = Math.min(chunk.length - offset, out.length - filled);
      out.set(chunk.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (offset === chunk.length) {
        c++;
        offset = 0;
      }
    }
    if (!consume) return;
    this.chunks.splice(0, c);
    this.offset = offset;
    this.size -= out.length;
  }
}

/** The bytes to send for one packet: `body` with its header, if any.
 *  Throws a RangeError if it is too long for a 1- or 2-byte header. */
export function frame(packet: Packet, body: Uint8Array): Uint8Array {
  if (packet === 'raw' || packet === 'line') return body;
  const max = packet === 4 ? 0xffffffff : 256 ** packet - 1;
  if (body.length > max) throw new RangeError(`send: ${body.length} bytes do not fit a ${packet}-byte packet header (at most ${max})`);
  const out = new Uint8Array(packet + body.length);
  let len = body.length;
  for (let i = packet - 1; i >= 0; i--) {
    out[i] = len & 255;
    len = Math.floor(len / 256);
  }
  out.set(body, packet);
  return out;
}
