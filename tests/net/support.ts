// Serving an image over the real CLI (`mote run` or `mote boot` with -p) and
// talking to it from Node over loopback, as a user's client would.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { root } from '../cli/support.ts';

export type Host = 'run' | 'boot';

// A loopback port nobody listens on now (one helper for every test).
export { freePort } from '../support/free-port.ts';
import { freePort } from '../support/free-port.ts';

export interface Served {
  port: number;
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then the CLI's status and output. */
  stop(): Promise<{ status: number; output: string }>;
}

/** Starts `mote <host> image -p port:guestPort -m memory`, and waits until
 *  `ready(port)` succeeds (the guest serving, not just QEMU's forward). */
export async function serve(host: Host, image: string, guestPort: number, ready: (port: number) => Promise<boolean>, memory = '8M'): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'bin/mote.js'), host, image, '-p', `${port}:${guestPort}`, '-m', memory], { cwd: root });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (out += s));
  const exited = new Promise<number>((resolve) => child.on('close', (code, sig) => resolve(code ?? (sig ? 128 : -1))));
  let status: number | undefined;
  void exited.then((s) => (status = s));
  // Bounded: at most 120 tries, each a full request or a refused connect.
  for (let i = 0; i < 120; i++) {
    if (status !== undefined) throw new Error(`mote ${host} exited with ${status} before serving:\n${out}`);
    if (await ready(port).catch(() => false)) {
      return {
        port,
        child,
        output: () => out,
        async stop() {
          child.kill('SIGTERM');
          return { status: await exited, output: out };
        },
      };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill('SIGKILL');
  throw new Error(`mote ${host} did not serve on port ${port} within 60 s:\n${out}`);
}

/** Opens a connection; rejects on error. */
export function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** Sends `data` and reads until `n` bytes came back or the peer closed. */
export function exchange(s: Socket, data: Uint8Array | string, n: number, timeoutMs = 30_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const t = setTimeout(() => finish(new Error(`timed out with ${got} of ${n} bytes`)), timeoutMs);
    const onData = (b: Buffer) => {
      chunks.push(b);
      got += b.length;
      if (got >= n) finish();
    };
    const onEnd = () => finish();
    const onError = (e: Error) => finish(e);
    function finish(err?: Error) {
      clearTimeout(t);
      s.off('data', onData);
      s.off('end', onEnd);
      s.off('error', onError);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks));
    }
    s.on('data', onData);
    s.once('end', onEnd);
    s.once('error', onError);
    if (typeof data === 'string' ? data.length : data.length) s.write(data);
  });
}

/** One HTTP exchange on a socket: the status line, headers and body. */
export async function httpOn(s: Socket, request: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const t = setTimeout(() => done(new Error(`no full response; got ${JSON.stringify(buf.toString())}`)), 30_000);
    const onData = (b: Buffer) => {
      buf = Buffer.concat([buf, b]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      // A response to HEAD has no body, whatever its Content-Length says.
      const len = request.startsWith('HEAD ') ? 0 : Number(headers['content-length'] ?? 0);
      if (buf.length < end + 4 + len) return;
      done(undefined, { status: Number(lines[0].split(' ')[1]), headers, body: buf.subarray(end + 4, end + 4 + len).toString() });
    };
    const onEnd = () => done(new Error(`closed before a full response; got ${JSON.stringify(buf.toString())}`));
    function done(err?: Error, r?: { status: number; headers: Record<string, string>; body: string }) {
      clearTimeout(t);
      s.off('data', onData);
      s.off('end', onEnd);
      s.off('error', onEnd);
      if (err) reject(err);
      else resolve(r!);
    }
    s.on('data', onData);
    s.once('end', onEnd);
    s.once('error', onEnd);
    s.write(request);
  });
}

/** One request on a fresh connection. */
export async function http(port: number, method: string, path: string, body = ''): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const s = await open(port);
  try {
    return await httpOn(s, `${method} ${path} HTTP/1.1\r\nHost: t\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  } finally {
    s.destroy();
  }
}

/** Reads until the peer closes; what came. */
export function untilClosed(s: Socket, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms; got ${JSON.stringify(out)}`)), timeoutMs);
    s.on('data', (b) => (out += b.toString('latin1')));
    s.once('close', () => {
      clearTimeout(t);
      resolve(out);
    });
    s.once('error', () => {});
  });
}
