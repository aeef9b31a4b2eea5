// Load against one server for a bounded time: requests/s and latency
// percentiles. HTTP keep-alive through autocannon; a new connection per
// request and echo through a loop of our own (autocannon's latencies are not
// usable when the server closes after each response: it writes the next
// request onto the closing socket and times the orphan from then).
import autocannon from 'autocannon';
import { connectTo, exchange, GET_CLOSE, httpComplete, statusOf } from './client.ts';
import { percentile } from '../stats.ts';

export interface Load {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** The first error's message, if any. */
  firstError?: string;
}

export type Workload = 'http-keepalive' | 'http-close' | 'echo';

export interface LoadOptions {
  connections: number;
  durationMs: number;
}

export function runLoad(w: Workload, port: number, o: LoadOptions): Promise<Load> {
  if (w === 'http-keepalive') return keepAlive(port, o);
  return loop(port, o, w === 'echo' ? echoClient : closeClient);
}

/** autocannon's own percentiles are whole milliseconds (its histogram holds
 *  integers): the latencies are taken from its response events instead. */
async function keepAlive(port: number, o: LoadOptions): Promise<Load> {
  const lat: number[] = [];
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon({ url: `http://127.0.0.1:${port}/`, connections: o.connections, duration: o.durationMs / 1000, timeout: 5 }, (err, res) => (err ? reject(err) : resolve(res)));
    run.on('response', (_c, status, _bytes, ms) => void (status === 200 && lat.push(ms)));
  });
  return { rps: lat.length / (o.durationMs / 1000), p50Ms: percentile(lat, 50), p99Ms: percentile(lat, 99), errors: r.errors + r.timeouts + r.non2xx };
}

/** One virtual client: does one request, returns its latency in ms. */
type Client = (port: number) => { next(): Promise<number>; close(): void };

/** `connections` clients, each doing requests back to back until the time is up. */
async function loop(port: number, o: LoadOptions, client: Client): Promise<Load> {
  const lat: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const end = performance.now() + o.durationMs;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: o.connections }, async () => {
      const c = client(port);
      while (performance.now() < end) {
        try {
          lat.push(await c.next());
        } catch (e) {
          errors++;
          firstError ??= (e as Error).message;
          if (errors > 10_000) break;
        }
      }
      c.close();
    }),
  );
  const s = (performance.now() - t0) / 1000;
  return { rps: lat.length / s, p50Ms: percentile(lat, 50), p99Ms: percentile(lat, 99), errors, firstError };
}

/** HTTP without keep-alive: connect, GET with Connection: close, read the
 *  response, close. Latency includes the connect. */
const closeClient: Client = (port) => ({
  async next() {
    const t = performance.now();
    const s = await connectTo(port);
    try {
      const b = await exchange(s, GET_CLOSE, httpComplete);
      if (statusOf(b) !== 200) throw new Error(`status ${statusOf(b)}`);
    } finally {
      s.destroy();
    }
    return performance.now() - t;
  },
  close() {},
});

const MESSAGE = Buffer.alloc(64, 'x');

/** Echo: one connection kept open, 64 bytes out, the same 64 back. */
const echoClient: Client = (port) => {
  let sock: ReturnType<typeof connectTo> | undefined;
  return {
    async next() {
      const s = await (sock ??= connectTo(port));
      const t = performance.now();
      try {
        await exchange(s, MESSAGE, (b) => b.length >= MESSAGE.length);
      } catch (e) {
        s.destroy();
        sock = undefined;
        throw e;
      }
      return performance.now() - t;
    },
    close() {
      void sock?.then((s) => s.destroy(), () => {});
    },
  };
};
