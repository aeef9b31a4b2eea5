// Parallel Orbit, as the RELEASE project's: P worker processes, each owning
// the fragment of the hash table for the values whose hash is its index
// (mod P), of floor(2N/P)+1 slots. A work message carries values for one
// worker and a share of credit; the worker keeps the values new to it,
// applies the generators to them and sends each image, batched, to the
// image's owner, splitting its credit among those messages (credit.ts).
// The master waits until all credit is back, then asks each worker for the
// size of its fragment.
import { receive, send, self, sleep, spawnLink, type Pid } from 'mote';
import { CreditSum, split } from './credit.ts';
import { HashSet, hash } from './table.ts';
import { yieldDue } from './yielder.ts';
import type { Generator } from './generators.ts';

type Work = { type: 'work'; xs: number[]; credit: number };
type Stop = { type: 'stop' };

export interface ParallelResult {
  size: number;
  /** Work messages the workers handled. */
  messages: number;
  /** Each worker's fragment size. */
  sizes: number[];
}

async function worker(slots: number, gens: Generator[], master: Pid): Promise<void> {
  const table = new HashSet(slots);
  const { peers } = await receive<{ type: 'peers'; peers: Pid[] }>({ type: 'peers' });
  const p = peers.length;
  const due = yieldDue();
  let handled = 0;
  for (;;) {
    const m = await receive<Work | Stop>([{ type: 'work' }, { type: 'stop' }]);
    if (m.type === 'stop') {
      send(master, { type: 'size', from: self(), size: table.size, handled });
      return;
    }
    handled++;
    const out: number[][] = peers.map(() => []);
    for (const x of m.xs) {
      const h = hash(x);
      if (!table.add(x, (h / p) >>> 0)) continue;
      for (const g of gens) {
        const y = g(x);
        out[hash(y) % p].push(y);
      }
      if (due()) await sleep(1);
    }
    const dests = out.flatMap((xs, i) => (xs.length > 0 ? [i] : []));
    if (dests.length === 0) {
      send(master, { type: 'credit', credit: m.credit });
      continue;
    }
    const shares = split(m.credit, dests.length);
    dests.forEach((i, j) => send(peers[i], { type: 'work', xs: out[i], credit: shares[j] }));
  }
}

export async function parallelOrbit(space: number, workers: number, gens: Generator[], x0 = 0): Promise<ParallelResult> {
  const master = self();
  const slots = Math.floor((2 * space) / workers) + 1;
  const peers = Array.from({ length: workers }, () => spawnLink(() => worker(slots, gens, master)));
  for (const w of peers) send(w, { type: 'peers', peers });
  send(peers[hash(x0) % workers], { type: 'work', xs: [x0], credit: 0 });
  const returned = new CreditSum();
  while (!returned.complete()) {
    const m = await receive<{ credit: number }>({ type: 'credit' });
    returned.add(m.credit);
  }
  for (const w of peers) send(w, { type: 'stop' });
  const sizes: number[] = [];
  let messages = 0;
  for (const w of peers) {
    const m = await receive<{ size: number; handled: number }>({ type: 'size', from: w });
    sizes.push(m.size);
    messages += m.handled;
  }
  return { size: sizes.reduce((a, b) => a + b, 0), messages, sizes };
}
