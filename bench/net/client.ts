// The bench's own small loopback client: connect, one exchange with a
// completion test, one HTTP GET; every wait bounded by a timeout.
import { connect, type Socket } from 'node:net';

export const GET = 'GET / HTTP/1.1\r\nHost: bench\r\n\r\n';
export const GET_CLOSE = 'GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n';

/** A connection to 127.0.0.1:port, Nagle off (as load generators do). */
export function connectTo(port: number, timeoutMs = 5000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, noDelay: true });
    const t = setTimeout(() => (s.destroy(), reject(new Error('connect timed out'))), timeoutMs);
    s.once('connect', () => {
      clearTimeout(t);
      s.off('error', fail);
      resolve(s);
    });
    const fail = (e: Error) => (clearTimeout(t), reject(e));
    s.once('error', fail);
  });
}

/** Writes `data`, then collects what comes until `complete(bytes)`. Rejects
 *  if the peer closes first, on an error, or after `timeoutMs`. */
export function exchange(s: Socket, data: string | Uint8Array, complete: (b: Buffer) => boolean, timeoutMs = 5000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf: Buffer = Buffer.alloc(0);
    const t = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    const onData = (b: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, b]) : b;
      if (complete(buf)) finish();
    };
    const onEnd = () => finish(new Error('closed by the server'));
    function finish(err?: Error) {
      clearTimeout(t);
      s.off('data', onData);
      s.off('end', onEnd);
      s.off('error', onEnd);
      if (err) reject(err);
      else resolve(buf);
    }
    s.on('data', onData);
    s.once('end', onEnd);
    s.once('error', onEnd);
    s.write(data);
  });
}

/** Whether `b` holds one whole HTTP response (head and Content-Length body). */
export function httpComplete(b: Buffer): boolean {
  const end = b.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const len = /\r\ncontent-length:\s*(\d+)/i.exec(b.subarray(0, end).toString('latin1'))?.[1];
  return b.length >= end + 4 + Number(len ?? 0);
}

export const statusOf = (b: Buffer) => Number(b.subarray(9, 12).toString('latin1'));

/** One GET on `s`; the status and body. */
export async function getOn(s: Socket, path = '/', timeoutMs = 5000): Promise<{ status: number; body: string }> {
  const b = await exchange(s, `GET ${path} HTTP/1.1\r\nHost: bench\r\n\r\n`, httpComplete, timeoutMs);
  return { status: statusOf(b), body: b.subarray(b.indexOf('\r\n\r\n') + 4).toString() };
}

/** One GET / on a fresh connection: true on a 200. */
export async function httpOk(port: number, timeoutMs = 5000): Promise<boolean> {
  const s = await connectTo(port, timeoutMs);
  try {
    return (await getOn(s, '/', timeoutMs)).status === 200;
  } finally {
    s.destroy();
  }
}

/** One echo of a short line on a fresh connection. */
export async function echoOk(port: number, timeoutMs = 5000): Promise<boolean> {
  const s = await connectTo(port, timeoutMs);
  try {
    return (await exchange(s, 'ping\n', (b) => b.length >= 5, timeoutMs)).toString() === 'ping\n';
  } finally {
    s.destroy();
  }
}
