// The key-value workers: gen_servers that serve gets and puts on the table,
// a key always by the same worker (by hash). A put is acknowledged once it
// is in the table.
import { GenServer, ets, type ServerModule } from 'mote';
import { TABLE } from './store.ts';

export type Value = { v: number };
type Req = { op: 'put'; key: string; value: Value } | { op: 'get'; key: string };

export const workerName = (i: number) => `kv_${i}`;

const worker: ServerModule<number, number> = {
  init: (i) => ({ ok: i }),
  handleCall(req: Req, _from, i) {
    if (req.op === 'put') {
      ets.insert(TABLE, req.key, req.value);
      return { reply: 'ok', state: i };
    }
    return { reply: ets.lookupOne(TABLE, req.key) ?? null, state: i };
  },
};

export const startWorker = (i: number) => GenServer.startLink(worker, i, { name: workerName(i) });

function hashKey(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export const ownerOf = (key: string, workers: number) => workerName(hashKey(key) % workers);
