// Open connections against the bench's http-mem image (fixtures/http-mem):
// what one idle keep-alive connection costs the guest's heap, and how many
// stay served before RAM runs out. Every connection has had one GET / (so
// its process and buffers exist) and is kept open; "served" means it still
// answers another GET.
import type { Socket } from 'node:net';
import { connectTo, getOn } from './client.ts';

export interface Connections {
  /** memory().total on a fresh connection, before and with `n` open. */
  heapBefore: number;
  heapWithN: number;
  n: number;
  bytesPerConnection: number;
  /** The most open connections that all answered again. */
  maxServed: number;
  /** The count tried when something failed, and what; or that the cap was hit. */
  stoppedAt: number;
  stoppedBy: string;
}

// Opened and checked a few at a time, each wait generous: QEMU's port
// forwarding listens with a backlog of one, so a burst of connects waits on
// the host's SYN retries (1 s, 3 s ...), and a lost segment on TCP's backoff;
// either would read as a full node. The load section sees bursts; this one
// looks for where RAM runs out.
const AT_ONCE = 4;
const TIMEOUT_MS = 30_000;

async function heap(port: number): Promise<number> {
  const s = await connectTo(port, TIMEOUT_MS);
  try {
    const r = await getOn(s, '/memory', TIMEOUT_MS);
    return (JSON.parse(r.body) as { total: number }).total;
  } finally {
    s.destroy();
  }
}

/** Runs `f` over `xs`, at most `limit` at once; the first failure's message, or null. */
async function each<T>(xs: T[], limit: number, f: (x: T) => Promise<void>): Promise<string | null> {
  let next = 0;
  let failed: string | null = null;
  await Promise.all(
    Array.from({ length: Math.min(limit, xs.length) }, async () => {
      while (next < xs.length && !failed) {
        const x = xs[next++]!;
        await f(x).catch((e: Error) => (failed ??= e.message));
      }
    }),
  );
  return failed;
}

async function openServed(port: number): Promise<Socket> {
  const s = await connectTo(port, TIMEOUT_MS);
  try {
    const r = await getOn(s, '/', TIMEOUT_MS);
    if (r.status !== 200) throw new Error(`status ${r.status}`);
    return s;
  } catch (e) {
    s.destroy();
    throw e;
  }
}

export async function measureConnections(port: number, n: number, cap: number): Promise<Connections> {
  const open: Socket[] = [];
  const add = (count: number) => each(Array.from({ length: count }), AT_ONCE, async () => void open.push(await openServed(port)));
  try {
    const heapBefore = await heap(port);
    const first = await add(n);
    if (first) throw new Error(`could not open ${n} connections: ${first}`);
    const heapWithN = await heap(port);
    let maxServed = 0;
    let stoppedBy = `the bench's cap of ${cap}`;
    // Grow by a fifth each step; after each, every open connection must answer.
    while (open.length < cap) {
      const failed = (await add(Math.min(cap - open.length, Math.max(50, Math.round(open.length / 5))))) ?? (await each(open, AT_ONCE, async (s) => {
        const r = await getOn(s, '/', TIMEOUT_MS);
        if (r.status !== 200) throw new Error(`status ${r.status}`);
      }));
      if (failed) {
        stoppedBy = failed;
        break;
      }
      maxServed = open.length;
    }
    return { heapBefore, heapWithN, n, bytesPerConnection: (heapWithN - heapBefore) / n, maxServed, stoppedAt: open.length, stoppedBy };
  } finally {
    for (const s of open) s.destroy();
  }
}
