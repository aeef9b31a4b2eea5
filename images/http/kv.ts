// The key-value store behind /kv: a table owned by its own supervised
// process, so that a request handler crashing loses nothing.
import { GenServer, ets, type ServerModule } from 'mote';

const TABLE = 'kv';

const owner: ServerModule<null> = {
  init: () => {
    ets.newTable({ type: 'set', access: 'public', name: TABLE });
    return { ok: null };
  },
  handleCall: (_req, _from, state) => ({ reply: 'ok', state }),
};

/** Starts the table's owner, linked to its supervisor. */
export const startKv = () => GenServer.startLink(owner, undefined, { name: 'kv_owner' });

export const get = (key: string): string | undefined => ets.lookupOne(TABLE, key) as string | undefined;

/** Stores `value`; true if the key is new. */
export function put(key: string, value: string): boolean {
  const isNew = !ets.member(TABLE, key);
  ets.insert(TABLE, key, value);
  return isNew;
}

/** Deletes `key`; true if it was there. */
export function remove(key: string): boolean {
  const had = ets.member(TABLE, key);
  ets.del(TABLE, key);
  return had;
}
