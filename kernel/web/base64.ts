/**
 * atob and btoa, with the HTML standard's forgiving-base64 rules: ASCII
 * whitespace is skipped, padding is optional but must be right when given,
 * and a character outside Latin-1 (btoa) or the alphabet (atob) throws
 * InvalidCharacterError. Injected as globals only where an app names them.
 */
import { DOMException } from './dom_exception.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function btoa(data: unknown): string {
  if (arguments.length === 0) throw new TypeError('btoa: 1 argument required, but only 0 present');
  const s = String(data);
  let out = '';
  for (let i = 0; i < s.length; i += 3) {
    const a = code(s, i), b = code(s, i + 1), c = code(s, i + 2);
    const n = (a << 16) | ((b < 0 ? 0 : b) << 8) | (c < 0 ? 0 : c);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
    out += b < 0 ? '=' : ALPHABET[(n >> 6) & 63];
    out += c < 0 ? '=' : ALPHABET[n & 63];
  }
  return out;
}

/** The Latin-1 code at `i`, -1 past the end; throws on a wider character. */
function code(s: string, i: number): number {
  if (i >= s.length) return -1;
  const c = s.charCodeAt(i);
  if (c > 0xff) throw new DOMException('btoa: the string contains characters outside of the Latin1 range', 'InvalidCharacterError');
  return c;
}

export function atob(data: unknown): string {
  if (arguments.length === 0) throw new TypeError('atob: 1 argument required, but only 0 present');
  let s = String(data).replace(/[\t\n\f\r ]/g, '');
  if (s.length % 4 === 0) s = s.replace(/={1,2}$/, '');
  if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) {
    throw new DOMException('atob: the string to be decoded is not correctly encoded', 'InvalidCharacterError');
  }
  let out = '';
  let bits = 0, buffer = 0;
  for (const ch of s) {
    buffer = (buffer << 6) | ALPHABET.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return out;
}
