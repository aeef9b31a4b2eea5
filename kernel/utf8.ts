/**
 * UTF-8, for the bytes that cross a socket: bare QuickJS has no TextEncoder
 * or TextDecoder. Both follow the WHATWG rules: a lone surrogate encodes as
 * U+FFFD, and a malformed sequence decodes as one U+FFFD per maximal bad
 * subpart.
 */

// ASCII, most of what crosses a socket, takes the engine's own code where
// there is one: a byte at a time in JS cost ~1,000 instructions, so a
// 512 KiB request body took a handler past its runaway limit on metal under
// TCG. The regexps are made at first use (importing the kernel makes none).
let nonAscii: RegExp | null = null;
let nonAsciiFrom: RegExp | null = null; // global: exec from its lastIndex
/** Bytes decoded as Latin-1 per String.fromCharCode call. */
const CHUNK = 8192;

/** The UTF-8 bytes of `s`. */
export function encodeUtf8(s: string): Uint8Array {
  if (!(nonAscii ??= /[^\x00-\x7f]/).test(s)) {
    // One byte a character: no count, no branch.
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  const out = new Uint8Array(n);
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[j++] = c;
      continue;
    }
    if (c < 0x800) {
      out[j++] = 0xc0 | (c >> 6);
      out[j++] = 0x80 | (c & 63);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && (d & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        out[j++] = 0xf0 | (c >> 18);
        out[j++] = 0x80 | ((c >> 12) & 63);
        out[j++] = 0x80 | ((c >> 6) & 63);
        out[j++] = 0x80 | (c & 63);
        continue;
      }
      c = 0xfffd;
    }
    out[j++] = 0xe0 | (c >> 12);
    out[j++] = 0x80 | ((c >> 6) & 63);
    out[j++] = 0x80 | (c & 63);
  }
  return out;
}

/** `bytes[start, end)` decoded. */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  let run: number[] = [];
  const flush = (): void => {
    out += String.fromCharCode.apply(null, run);
    run = [];
  };
  // bytes[latinAt, latinAt + latin.length) as Latin-1: an ASCII run is
  // cut from it up to its first byte past ASCII, which the loop decodes.
  let latin = '';
  let latinAt = start;
  let i = start;
  while (i < end) {
    const b = bytes[i];
    if (b < 0x80) {
      if (i >= latinAt + latin.length) {
        latin = String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + CHUNK)) as unknown as number[]);
        latinAt = i;
      }
      const re = (nonAsciiFrom ??= /[^\x00-\x7f]/g);
      re.lastIndex = i - latinAt;
      const past = re.exec(latin);
      const to = past === null ? latin.length : past.index;
      if (run.length > 0) flush();
      out += latin.slice(i - latinAt, to);
      i = latinAt + to;
      continue;
    }
    let cp = 0xfffd;
    let len = 1;
    if (b < 0x80) cp = b;
    else {
      // Lead byte: how many continuation bytes, and the range the second may take.
      let need = 0, lo = 0x80, hi = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) need = 1;
      else if (b >= 0xe0 && b <= 0xef) { need = 2; if (b === 0xe0) lo = 0xa0; if (b === 0xed) hi = 0x9f; }
      else if (b >= 0xf0 && b <= 0xf4) { need = 3; if (b === 0xf0) lo = 0x90; if (b === 0xf4) hi = 0x8f; }
      if (need > 0) {
        let v = b & (0x3f >> need);
        let k = 1;
        for (; k <= need && i + k < end; k++) {
          const c = bytes[i + k];
          if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) break;
          v = (v << 6) | (c & 63);
        }
        if (k > need) { cp = v; len = need + 1; }
        else len = k; // the maximal bad subpart: one U+FFFD for it
      }
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      run.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 1023));
    } else run.push(cp);
    if (run.length >= 4096) flush();
    i += len;
  }
  flush();
  return out;
}
