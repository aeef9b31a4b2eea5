// The pure parts of the network path: UTF-8, packet framing, the HTTP head
// parser. Fuzzed against Node's own TextEncoder/TextDecoder where one exists.
import { describe, expect, it } from 'vitest';
import { decodeUtf8, encodeUtf8 } from '../../kernel/utf8.ts';
import { Framer, FramingError, frame } from '../../kernel/framing.ts';
import { HttpError, headEnd, parseHead } from '../../kernel/stdlib/http_parse.ts';

/** A small deterministic generator, so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('utf8', () => {
  it('encodes as TextEncoder does, lone surrogates included', () => {
    const r = rng(1);
    for (let n = 0; n < 2000; n++) {
      let s = '';
      const len = Math.floor(r() * 12);
      for (let i = 0; i < len; i++) {
        const kind = r();
        s += String.fromCharCode(kind < 0.4 ? Math.floor(r() * 128) : kind < 0.7 ? Math.floor(r() * 0x800) : kind < 0.85 ? 0xd800 + Math.floor(r() * 0x800) : Math.floor(r() * 0x10000));
      }
      expect([...encodeUtf8(s)]).toEqual([...new TextEncoder().encode(s)]);
    }
  });
  it('decodes random bytes as TextDecoder does (U+FFFD per maximal bad subpart)', () => {
    const r = rng(2);
    const dec = new TextDecoder();
    for (let n = 0; n < 3000; n++) {
      const b = new Uint8Array(Math.floor(r() * 10));
      for (let i = 0; i < b.length; i++) b[i] = r() < 0.5 ? 0x80 + Math.floor(r() * 0x80) : Math.floor(r() * 256);
      expect(decodeUtf8(b)).toBe(dec.decode(b));
    }
  });
  // ASCII runs take a faster way (made strings a chunk at a time): runs of
  // every length, across chunks, between multi-byte and bad sequences.
  it('decodes long ASCII runs among other bytes as TextDecoder does, whole or in part', () => {
    const r = rng(3);
    const dec = new TextDecoder();
    for (let n = 0; n < 60; n++) {
      const parts: number[] = [];
      while (parts.length < 40_000 * r()) {
        const run = r() < 0.3 ? Math.floor(r() * 20_000) : Math.floor(r() * 4);
        for (let i = 0; i < run; i++) parts.push(Math.floor(r() * 128));
        const other = [[0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0xff], [0xe2, 0x82], [0x80]][Math.floor(r() * 6)]!;
        parts.push(...other);
      }
      const b = Uint8Array.from(parts);
      expect(decodeUtf8(b)).toBe(dec.decode(b));
      const from = Math.floor(r() * b.length);
      const to = from + Math.floor(r() * (b.length - from));
      expect(decodeUtf8(b, from, to)).toBe(dec.decode(b.subarray(from, to)));
    }
    const ascii = Uint8Array.from({ length: 100_000 }, (_, i) => 32 + (i % 95));
    expect(decodeUtf8(ascii)).toBe(dec.decode(ascii));
  });
  it('encodes long ASCII and mixed strings as TextEncoder does', () => {
    const ascii = Array.from({ length: 50_000 }, (_, i) => String.fromCharCode(i % 128)).join('');
    for (const s of [ascii, ascii + 'é', '€' + ascii, ascii.slice(0, 9000) + '\ud800' + ascii.slice(9000)]) {
      expect([...encodeUtf8(s)]).toEqual([...new TextEncoder().encode(s)]);
    }
  });
});

describe('framing', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

  it('length-prefixed packets come out whole however the stream is cut', () => {
    for (const h of [1, 2, 4] as const) {
      const bodies = ['', 'a', 'hello world', 'x'.repeat(200)];
      const wire = bodies.map((b) => frame(h, bytes(b)));
      const all = new Uint8Array(wire.reduce((n, w) => n + w.length, 0));
      let o = 0;
      for (const w of wire) all.set(w, (o += w.length) - w.length);
      for (let cut = 1; cut <= 7; cut++) {
        const f = new Framer(h, 1 << 20);
        const out: (string | null)[] = [];
        for (let i = 0; i < all.length; i += cut) {
          f.push(all.subarray(i, i + cut));
          for (let p = f.next(); p; p = f.next()) out.push(text(p));
        }
        expect(out).toEqual(bodies);
        expect(f.buffered).toBe(0);
      }
    }
  });
  it("'line' splits at each newline, keeping it; raw gives exact lengths", () => {
    const f = new Framer('line', 100);
    f.push(bytes('a\nb'));
    f.push(bytes('c\n\nd'));
    expect([text(f.next()), text(f.next()), text(f.next()), f.next()]).toEqual(['a\n', 'bc\n', '\n', null]);
    const r = new Framer('raw', 100);
    r.push(bytes('abc'));
    r.push(bytes('def'));
    expect([text(r.next(4)), r.next(4), text(r.next())]).toEqual(['abcd', null, 'ef']);
  });
  it('a packet over maxPacket is emsgsize, for a header and for an unending line', () => {
    const f = new Framer(4, 10);
    f.push(new Uint8Array([0, 0, 0, 11]));
    expect(() => f.next()).toThrow(FramingError);
    const l = new Framer('line', 10);
    l.push(bytes('x'.repeat(11)));
    expect(() => l.next()).toThrow(/emsgsize/);
    const ended = new Framer('line', 10);
    ended.push(bytes('x'.repeat(20) + '\n'));
    expect(() => ended.next()).toThrow(/emsgsize/); // its newline already came
  });
  it('a body too long for a 1- or 2-byte header is refused at send', () => {
    expect(() => frame(1, new Uint8Array(256))).toThrow(/do not fit a 1-byte packet header/);
    expect(frame(2, new Uint8Array(300)).subarray(0, 2)).toEqual(new Uint8Array([1, 44]));
  });
});

describe('HTTP head parser', () => {
  const head = (s: string) => parseHead(new TextEncoder().encode(s));
  const status = (s: string) => {
    try {
      head(s);
      return 'parsed';
    } catch (e) {
      return e instanceof HttpError ? e.status : String(e);
    }
  };

  it('parses a request line and headers', () => {
    const h = head('PUT /kv/a?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nX-Two: a\r\nx-two: b');
    expect(h).toMatchObject({ method: 'PUT', target: '/kv/a?x=1', version: '1.1', contentLength: 5, keepAlive: true });
    expect(h.headers['x-two']).toBe('a, b');
  });
  it('keep-alive follows the version and Connection', () => {
    expect(head('GET / HTTP/1.1\r\nHost: h\r\nConnection: close').keepAlive).toBe(false);
    expect(head('GET / HTTP/1.0').keepAlive).toBe(false);
    expect(head('GET / HTTP/1.0\r\nConnection: Keep-Alive').keepAlive).toBe(true);
  });
  it('refuses what smuggling and floods are made of', () => {
    expect(status('GET / HTTP/1.1')).toBe(400); // no Host
    expect(status('GET  / HTTP/1.1\r\nHost: h')).toBe(400);
    expect(status('GET / HTTP/2.0\r\nHost: h')).toBe(505);
    expect(status('GET / HTTP/1.1\r\nHost : h')).toBe(400);
    expect(status('GET / HTTP/1.1\r\nHost: h\r\n folded')).toBe(400);
    expect(status('GET / HTTP/1.1\r\nHost: h\nX: y')).toBe(400);
    expect(status('GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2')).toBe(400);
    expect(status('GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1')).toBe(400);
    expect(status('GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked')).toBe(400);
    expect(status('GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked')).toBe(501);
    expect(status('G\x01T / HTTP/1.1\r\nHost: h')).toBe(400);
    expect(status('GET /\x7f HTTP/1.1\r\nHost: h')).toBe(400);
    expect(status('GET / HTTP/1.1\r\nHost: a\x00b')).toBe(400);
  });
  it('never throws anything but HttpError on random bytes', () => {
    const r = rng(3);
    for (let n = 0; n < 3000; n++) {
      const b = new Uint8Array(Math.floor(r() * 60));
      for (let i = 0; i < b.length; i++) b[i] = r() < 0.7 ? 32 + Math.floor(r() * 95) : Math.floor(r() * 256);
      try {
        parseHead(b);
      } catch (e) {
        expect(e).toBeInstanceOf(HttpError);
      }
    }
  });
  it('headEnd finds the blank line, searching on from where it left off', () => {
    const b = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: h\r\n\r\nrest');
    expect(headEnd(b)).toBe(23);
    expect(headEnd(b, 25)).toBe(23);
    expect(headEnd(b.subarray(0, 26))).toBe(-1);
  });
});
