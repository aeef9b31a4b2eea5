/**
 * TextEncoder and TextDecoder (WHATWG Encoding), UTF-8 only, as WinterTC's
 * minimum asks. Built on kernel/utf8.ts, which already follows WHATWG's rules
 * for lone surrogates and malformed sequences. Injected as globals only where
 * an app names them.
 */
import { decodeUtf8, encodeUtf8 } from '../utf8.ts';

const UTF8_LABELS = /* @__PURE__ */ new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'x-unicode20utf8']);

export class TextEncoder {
  get encoding(): string {
    return 'utf-8';
  }
  encode(input: string = ''): Uint8Array {
    return encodeUtf8(String(input));
  }
  /** Encodes as much of `source` as fits into `dest`, never splitting a character. */
  encodeInto(source: string, dest: Uint8Array): { read: number; written: number } {
    let read = 0;
    let written = 0;
    const s = String(source);
    while (read < s.length) {
      const c = s.codePointAt(read)!;
      const units = c > 0xffff ? 2 : 1;
      const bytes = encodeUtf8(s.slice(read, read + units));
      if (written + bytes.length > dest.length) break;
      dest.set(bytes, written);
      written += bytes.length;
      read += units;
    }
    return { read, written };
  }
}

/** How many bytes at the end of `b` start a sequence that is not finished yet. */
function unfinishedTail(b: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const byte = b[b.length - back];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    // A lead byte and how long its sequence is; 0xc0, 0xc1 and 0xf5.. lead nothing.
    const need = byte >= 0xf0 && byte <= 0xf4 ? 4 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xc2 && byte <= 0xdf ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

function bytesOf(input: unknown): Uint8Array {
  if (input === undefined) return new Uint8Array(0);
  if (input instanceof Uint8Array) return input;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  throw new TypeError('TextDecoder.decode: the input must be an ArrayBuffer or a view of one');
}

export class TextDecoder {
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  #pending = new Uint8Array(0);
  #sawStart = false;

  constructor(label = 'utf-8', options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
    if (!UTF8_LABELS.has(String(label).trim().toLowerCase())) {
      throw new RangeError(`TextDecoder: the encoding "${label}" is not supported (mote decodes UTF-8 only)`);
    }
    this.fatal = Boolean(options.fatal);
    this.ignoreBOM = Boolean(options.ignoreBOM);
  }

  get encoding(): string {
    return 'utf-8';
  }

  decode(input?: unknown, options: { stream?: boolean } = {}): string {
    let bytes = bytesOf(input);
    if (this.#pending.length) {
      const joined = new Uint8Array(this.#pending.length + bytes.length);
      joined.set(this.#pending);
      joined.set(bytes, this.#pending.length);
      bytes = joined;
    }
    const keep = options.stream ? unfinishedTail(bytes) : 0;
    this.#pending = keep ? bytes.slice(bytes.length - keep) : new Uint8Array(0);
    let text = decodeUtf8(bytes, 0, bytes.length - keep);
    if (this.fatal && text.includes('\ufffd') && !validReplacements(bytes, bytes.length - keep, text)) {
      this.#reset();
      throw new TypeError('TextDecoder: the input is not valid UTF-8');
    }
    if (!this.#sawStart && text.length) {
      if (!this.ignoreBOM && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.#sawStart = true;
    }
    if (!options.stream) this.#reset();
    return text;
  }

  #reset(): void {
    this.#pending = new Uint8Array(0);
    this.#sawStart = false;
  }
}

/** True when every U+FFFD in `text` was written as EF BF BD in the input, not made by an error. */
function validReplacements(bytes: Uint8Array, end: number, text: string): boolean {
  let encoded = 0;
  for (let i = 0; i + 2 < end; i++) {
    if (bytes[i] === 0xef && bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) encoded++;
  }
  let decoded = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0xfffd) decoded++;
  return encoded === decoded;
}
