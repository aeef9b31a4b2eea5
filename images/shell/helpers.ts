// The shell's helpers, in the spirit of erl's shell_default: what an
// expression can call by name. They go on globalThis, since expressions are
// evaluated in the global scope.
import {
  Pid, ets, exit, halt, inspect, link, memory, monitor, processes, processInfo, receive, register, self, send, sleep, spawn, stdin, stdout, TIMEOUT,
  unregister, whereis,
  monotonicTime, type ProcessInfo,
} from 'mote';

const HELP: [string, string][] = [
  ['i()', 'the processes: name, status, message queue, memory, reductions'],
  ['processInfo(pid)', 'one process in full; pid as a Pid, "<0.5.0>" or 5'],
  ['pid(n)', 'the Pid <0.n.0>'],
  ['memory()', "the heap's figures: its limit, processes, tables, binaries, code, system"],
  ['tables()', 'the ets tables: name, type, size, memory, owner'],
  ['observer()', 'a view of the node, refreshed every second until a key'],
  ['spawn(fn)', 'start a process; exit(pid, reason) stops one'],
  ['send(pid, msg)', 'send a message; await receive(), sleep(ms), link, monitor as in mote'],
  ['register(name, pid)', 'name a process; whereis(name), unregister(name)'],
  ['self()', "the evaluator's pid: the same from line to line until it dies"],
  ['flush()', "print and drop the messages in the evaluator's mailbox"],
  ['mote', "the whole of the mote API, e.g. mote.ets, mote.GenServer"],
  ['halt(code)', 'stop the node with status code (0..99, default 0)'],
];

function help(): void {
  const width = Math.max(...HELP.map(([k]) => k.length));
  out('Helpers (an expression is JavaScript; `x = 1` and `var x` keep x for later lines):\n');
  for (const [k, what] of HELP) out(`  ${k.padEnd(width)}  ${what}\n`);
  out('Keys: Left, Right, Backspace, Up/Down for history, Ctrl-C cancels the line (or interrupts the line running), Ctrl-D (or the end of piped input) leaves.\n');
}

const out = (text: string): void => stdout.write(text);

/** The Pid <0.n.0>, or the one a string such as "<0.5.0>" names. */
function pid(n: number | string | Pid): Pid | undefined {
  if (n instanceof Pid) return n;
  const id = typeof n === 'number' ? n : Number(/^<0\.(\d+)\.0>$/.exec(String(n).trim())?.[1]);
  return processes().find((p) => p.id === id);
}

function info(p: number | string | Pid): ProcessInfo | undefined {
  const found = pid(p);
  return found && processInfo(found);
}

const cols = (cells: (string | number)[], widths: number[]): string =>
  cells.map((c, i) => (typeof c === 'number' ? String(c).padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' ').trimEnd() + '\n';

/** The process table as text, largest memory first if `limit` cuts it. */
function processTable(limit = Infinity): string {
  const rows = processes()
    .map((p) => processInfo(p))
    .filter((p): p is ProcessInfo => p !== undefined);
  const widths = [12, 20, 9, 6, 9, 10];
  let text = cols(['Pid', 'Name', 'Status', 'Msgs', 'Memory', 'Reductions'], widths);
  const shown = rows.length > limit ? [...rows].sort((a, b) => b.memory - a.memory).slice(0, limit) : rows;
  for (const p of shown) {
    const name = p.registeredName ?? (p.behaviour === 'async' ? '' : p.behaviour);
    text += cols([String(p.pid), name.slice(0, 20), p.status, p.messageQueueLen, p.memory, p.reductions], widths);
  }
  const total = rows.reduce((n, p) => n + p.memory, 0);
  text += `${rows.length} processes${shown.length < rows.length ? ` (${shown.length} largest shown)` : ''}, ${total} bytes\n`;
  return text;
}

function i(): void {
  out(processTable());
}

function tables(): void {
  const widths = [16, 10, 8, 9, 12];
  let text = cols(['Table', 'Type', 'Size', 'Memory', 'Owner'], widths);
  const all = ets.allTables();
  for (const t of all) {
    const inf = ets.info(t);
    if (inf) text += cols([inf.name ?? String(inf.id), inf.type, inf.size, inf.memory, String(inf.owner ?? '')], widths);
  }
  out(text + `${all.length} tables\n`);
}

const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

/** One screen: the heap, then the largest processes; again every second
 *  until a key comes (the key is taken, not evaluated). */
async function observer(): Promise<void> {
  const started = monotonicTime();
  for (;;) {
    const m = memory();
    out(
      '\x1b[H\x1b[2J' +
        `mote observer: ${((monotonicTime() - started) / 1000).toFixed(0)} s; any key returns to the shell\n\n` +
        `heap ${kib(m.total)} of ${kib(m.limit)}: processes ${kib(m.processes)}, tables ${kib(m.ets)}, binaries ${kib(m.binary)}, code ${kib(m.code)}, system ${kib(m.system)}\n` +
        `${ets.allTables().length} tables\n\n` +
        processTable(15),
    );
    const keys = await stdin.read({ timeout: 1000 });
    if (keys === TIMEOUT) continue;
    // One key ends the view; what was typed after it is the shell's.
    if (keys !== null) stdin.unread(keys.slice(/^\x1b(\[[0-9;]*[@-~]|O.)?/.exec(keys)?.[0].length || 1));
    return;
  }
}

async function flush(): Promise<void> {
  for (;;) {
    const m = await receive(null, { after: 0 });
    if (m === TIMEOUT) return;
    out(`Shell got ${inspect(m)}\n`);
  }
}

function haltNode(code = 0): never {
  return halt(code);
}

/** Puts the helpers (and the API as `mote`) where expressions see them. */
export function installHelpers(api: object): void {
  Object.assign(globalThis, {
    i, memory, processInfo: info, pid, tables, observer, help, flush, halt: haltNode,
    spawn, exit, send, receive, sleep, link, monitor, register, unregister, whereis, self, inspect, mote: api,
  });
}
