/**
 * A strict HTTP/1.1 request-head parser (RFC 9112), for http_server.ts.
 *
 * Why not a library: the plain-JS parser on npm (http-parser-js) reads every
 * chunk through Node's Buffer (`toString(encoding, start, end)`), which bare
 * QuickJS lacks, and is lenient by design; llhttp is C/WebAssembly. A server
 * facing the network wants the strict reading anyway: what this refuses is
 * what request smuggling and header floods are made of.
 *
 * Refused: lines not ending in CRLF, obsolete line folding, whitespace
 * before a header's colon, a method or header name that is not a token, a
 * target with spaces or controls, both Content-Length and Transfer-Encoding,
 * conflicting or malformed Content-Length (400); an HTTP version other than
 * 1.0 and 1.1 (505); a transfer coding (501, not implemented here).
 */

export interface RequestHead {
  method: string;
  /** The request target as sent ("/kv/a?x=1"). */
  target: string;
  version: '1.0' | '1.1';
  /** Header values by lower-case name; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Body length from Content-Length (0 if none). */
  contentLength: number;
  /** Whether the connection stays open after the response. */
  keepAlive: boolean;
}

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Visible ASCII and obs-text, no spaces or controls.
const TARGET = /^[\x21-\x7e\x80-\xff]+$/;
// Field values: visible characters, spaces and tabs, no other controls.
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Index of the CRLFCRLF that ends a head in `buf`, or -1. */
export function headEnd(buf: Uint8Array, from = 0): number {
  for (let i = Math.max(0, from - 3); i + 3 < buf.length; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) return i;
  }
  return -1;
}

/** Parses a request head: the bytes before its final CRLFCRLF. */
export function parseHead(bytes: Uint8Array): RequestHead {
  // Header bytes are Latin-1 on the wire (RFC 9110 5.5): one char per byte.
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  const lines = text.split('\r\n');
  for (const l of lines) if (l.includes('\r') || l.includes('\n')) throw new HttpError(400, 'a line does not end in CRLF');
  const [method, target, proto, ...extra] = lines[0].split(' ');
  if (extra.length > 0 || proto === undefined) throw new HttpError(400, 'malformed request line');
  if (!TOKEN.test(method)) throw new HttpError(400, 'malformed method');
  if (!TARGET.test(target)) throw new HttpError(400, 'malformed request target');
  if (!/^HTTP\/\d\.\d$/.test(proto)) throw new HttpError(400, 'malformed HTTP version');
  if (proto !== 'HTTP/1.1' && proto !== 'HTTP/1.0') throw new HttpError(505, `${proto} is not supported`);
  const version = proto === 'HTTP/1.1' ? '1.1' : '1.0';
  const headers: Record<string, string> = Object.create(null);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line[0] === ' ' || line[0] === '\t') throw new HttpError(400, 'obsolete line folding');
    const colon = line.indexOf(':');
    if (colon <= 0) throw new HttpError(400, 'malformed header line');
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) throw new HttpError(400, `malformed header name ${JSON.stringify(name)}`);
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (!VALUE.test(value)) throw new HttpError(400, `a control character in header ${name}`);
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  if (version === '1.1' && !('host' in headers)) throw new HttpError(400, 'an HTTP/1.1 request needs a Host header');
  if ('transfer-encoding' in headers) {
    if ('content-length' in headers) throw new HttpError(400, 'both Content-Length and Transfer-Encoding');
    throw new HttpError(501, 'transfer codings are not implemented; send a Content-Length');
  }
  let contentLength = 0;
  if ('content-length' in headers) {
    const values = headers['content-length'].split(/[ \t]*,[ \t]*/);
    if (!values.every((v) => /^\d{1,15}$/.test(v) && v === values[0])) throw new HttpError(400, 'malformed Content-Length');
    contentLength = Number(values[0]);
  }
  const conn = (headers['connection'] ?? '').toLowerCase().split(/[ \t]*,[ \t]*/);
  const keepAlive = version === '1.1' ? !conn.includes('close') : conn.includes('keep-alive');
  return { method, target, version, headers, contentLength, keepAlive };
}
