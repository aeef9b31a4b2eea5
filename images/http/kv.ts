// The key-value store behind /kv: a table owned by its own supervised
// process, so that a request handler crashing loses nothing. It may hold a
// quarter of the heap: past that a PUT is refused (507), so that a client
// storing big values cannot bring the node to the memory pressure at which
// it refuses every new connection, the GET and the DELETE that would free
// the room among them.
import { GenServer, ets, memory, type ServerModule } from 'mote';

const TABLE = 'kv';

const owner: ServerModule<null> = {
  init: () => {
    ets.newTable({ type: 'set', access: 'public', name: TABLE, maxMemory: Math.floor(memory().limit / 4) });
    return { ok: null };
  },
  handleCall: (_req, _from, state) => ({ reply: 'ok', state }),
};

/** Starts the table's owner, linked to its supervisor. */
export const startKv = () => GenServer.startLink(owner, undefined, { name: 'kv_owner' });

export const get = (key: string): string | undefined => ets.lookupOne(TABLE, key) as string | undefined;

/** Stores `value`: 'created' if the key is new, 'replaced' if not, 'full'
 *  if the store has no room for it (the key keeps its old value). */
export function put(key: string, value: string): 'created' | 'replaced' | 'full' {
  const isNew = !ets.member(TABLE, key);
  try {
    ets.insert(TABLE, key, value);
  } catch (e) {
    // Past the table's maxMemory, or no room in the heap for the copy.
    if (e instanceof Error) return 'full';
    throw e;
  }
  return isNew ? 'created' : 'replaced';
}

/** Deletes `key`; true if it was there. */
export function remove(key: string): boolean {
  const had = ets.member(TABLE, key);
  ets.del(TABLE, key);
  return had;
}
