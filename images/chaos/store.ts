// The key-value table and its two keepers. The table ("kv", public) is
// owned by one keeper with the other as its heir, and the keepers sit in
// different subtrees, so no single kill below the root drops it: when the
// owner dies the heir holds it at once (ETS heir), and a keeper starting
// (or restarting) takes the table over with the other keeper as heir.
// mote has no ets.giveAway, so taking over is copy, delete, recreate: one
// synchronous step, which no request can see half done.
import { GenServer, ets, whereis, type ServerModule } from 'mote';

export const TABLE = 'kv';
export const keeperName = (side: 'a' | 'b') => `keeper_${side}`;

const keeper: ServerModule<'a' | 'b', 'a' | 'b'> = {
  init(side) {
    const other = whereis(keeperName(side === 'a' ? 'b' : 'a'));
    const rows = ets.info(TABLE) ? ets.match(TABLE, () => true) : [];
    if (rows.length > 0 || ets.info(TABLE)) ets.deleteTable(TABLE);
    ets.newTable({ name: TABLE, type: 'set', access: 'public', heir: other ? { pid: other, data: TABLE } : undefined });
    if (rows.length > 0) ets.insert(TABLE, rows);
    return { ok: side };
  },
  // The other keeper died and its table is ours now; its restart takes it
  // over again with us as heir.
  handleInfo: (_msg, side) => ({ state: side }),
};

export const startKeeper = (side: 'a' | 'b') => GenServer.startLink(keeper, side, { name: keeperName(side) });
