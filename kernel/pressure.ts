/**
 * Memory pressure: one process's memory never takes the node down.
 *
 * The kernel counts what each process holds (queued messages, the message
 * it took last, which an async body works on until it takes the next,
 * reported state, and the tables it owns). As that count grows, every
 * `heapLimit / 64` bytes it looks at the host's heap figures; once the heap
 * is more than 7/8 full, the process holding the most by that count dies
 * with `out_of_memory` (its supervisor restarts it) before the heap is full, so
 * the engine's own "out of memory" rarely surfaces at all. When it does
 * surface somewhere no process can take it (inside the scheduler), the
 * scheduler calls `relieve` to kill the largest process instead.
 *
 * A process holding less than `heapLimit / 32` is not killed for pressure
 * alone: its death would not give the heap back. Once the engine has run
 * out and the death of the process that ran it out was not room enough,
 * a supervised process goes whatever it holds (`relieveAny`): a supervisor
 * restarting one small process (and those linked to it) costs less than
 * the node; with none, a holder whose death some process is told of, never
 * one whose death nothing would notice (that is a silent wrong answer: the
 * node stops instead, 101). Nothing here allocates before its victim is dead: with the
 * heap full, an iterator was enough to stop the node.
 */
import { platform } from './platform.ts';
import { Proc, procs, procMemory, state, EMPTY, PROC_BASE_BYTES } from './process.ts';
import { dropMailbox } from './mailbox.ts';
import { die } from './signals.ts';
import * as logger from './logger.ts';

/** Heap use past which the largest process dies: 7/8 of the limit. */
const HIGH_NUM = 7;
const HIGH_DEN = 8;

/** Other holders of memory charged to a process (ets.ts adds its tables). */
export const chargedTo: ((p: Proc) => number)[] = [];

let grown = 0;
let heapLimitCache = 0;
let killed = 0;
/** The last look found the heap short even after relief: look at every
 *  table insert until it is not. */
let stillShort = false;

function limit(): number {
  if (heapLimitCache === 0) heapLimitCache = platform().memory().heapLimit;
  return heapLimitCache;
}

/** The host's heap limit, read once. */
export const heapLimit = limit;

function charged(p: Proc): number {
  let n = 0;
  for (let i = 0; i < chargedTo.length; i++) n += chargedTo[i](p);
  return n;
}

/** What the kernel counts against `p`: what it holds on a flat base
 *  (procMemory), not its true size by kind (procFootprint). Weighed truly,
 *  an idle async body (1,960 B then, 996 now) outweighs a process holding messages, and
 *  relief killed bodies holding nothing one at a time: images/aco, 24 ants
 *  at 2592K-2816K, 3 seeds, 18 runs each way: 148 relief kills and 253
 *  out-of-memory deaths truly, 34 and 207 on the flat base, every run ending
 *  alike (3, its colonies giving up). */
export function weight(p: Proc): number {
  return procMemory(p) + p.heldBytes + charged(p);
}

/** The host's heap in use; Infinity if there is no room even for the figures. */
export function heapInUse(): number {
  try {
    return platform().memory().heapUsed;
  } catch {
    return Infinity;
  }
}

/** Is the heap short (more than 7/8 of its limit in use)? With no room
 *  even for the figures, it is. */
export function heapShort(): boolean {
  let m;
  try {
    m = platform().memory();
  } catch {
    return true;
  }
  return m.heapUsed * HIGH_DEN > m.heapLimit * HIGH_NUM;
}

/** The kernel's count grew by `bytes` (a message queued, a row stored): now
 *  and then, look at the heap and kill the largest process if it is short. */
export function grew(bytes: number): void {
  grown += bytes;
  if (grown * 64 < (heapLimitCache || limit()) || state.halted) return;
  grown = 0;
  if (heapShort()) relieve(limit() / 32);
}

/** For a table insert of `bytes`: as `grew`, but if the heap is still short
 *  after relief, false: the insert must fail in its caller, with an error. */
export function roomFor(bytes: number): boolean {
  grown += bytes;
  if (!stillShort && grown * 64 < limit()) return true;
  grown = 0;
  if (!heapShort()) return !(stillShort = false);
  relieve(limit() / 32);
  stillShort = heapShort();
  return !stillShort;
}

/** How many processes memory pressure has killed so far. */
export function deaths(): number {
  return killed;
}

// The search's state, and its callback made once: a `for...of` over the
// table makes an iterator, and a closure per search is an allocation too.
/** Whom a search may choose: anyone, one a supervisor restarts, or one
 *  whose death some process is told of. */
const ANY = 0;
const SUPERVISED = 1;
const NOTICED = 2;
let heaviest: Proc | null = null;
let heaviestBytes = 0;
let among = ANY;
function weigh(p: Proc): void {
  const n = weight(p);
  if (n >= heaviestBytes && (among === ANY || (among === SUPERVISED ? supervised(p) : noticed(p)))) {
    heaviestBytes = n;
    heaviest = p;
  }
}

/** Is p's death handled: is it linked to the process that spawned it, and
 *  does that one trap exits (a supervisor, which restarts it)? */
function supervised(p: Proc): boolean {
  if (p.parent === null || p.links === null) return false;
  const q = procs.get(p.parent.id);
  return q !== undefined && q.trapExit && p.links.has(q);
}

/** Is some process told of p's death: does one monitor it, or trap exits
 *  and link to it? (The runner waiting for its master's DOWN is; the
 *  runner itself, which nothing watches, is not.) */
function noticed(p: Proc): boolean {
  if (p.monitoredBy !== null && p.monitoredBy.size > 0) return true;
  if (p.links === null) return false;
  linkTraps = false;
  p.links.forEach(trapsExits);
  return linkTraps;
}
let linkTraps = false;
function trapsExits(q: Proc): void {
  if (q.trapExit) linkTraps = true;
}

/** The process holding the most, if it holds at least `least` bytes, of
 *  those `who` (ANY, SUPERVISED, NOTICED) allows. */
function largest(least: number, who = ANY): Proc | null {
  heaviest = null;
  heaviestBytes = least;
  among = who;
  procs.forEach(weigh);
  const p: Proc | null = heaviest;
  heaviest = null; // the search must not keep a dead process alive
  return p;
}
// QuickJS makes a built-in method at its first use, which fails with the
// heap full: forEach, a Map's get and size, a Set's has, forEach and size
// are made here, at load.
largest(Infinity);
procs.get(-1);
void new Map().size;
const aSet = new Set<Proc>();
aSet.has(null as unknown as Proc);
aSet.forEach(trapsExits);
void aSet.size;

/** The engine ran out and the death of the process that did was not room
 *  enough: a process a supervisor restarts dies, the one the kernel counts
 *  the most against, however little that is (an ant's trail, held by its
 *  body, is not counted: the count tells such processes apart by a message
 *  or two at most); with none, the largest holder of anything past a bare
 *  process whose death some process is told of. Never one whose death
 *  nothing would notice: the app's own first process (aco's runner, which
 *  would say how the run ended) died so, and the node ended 0 with no
 *  final line. Null if none qualifies: the caller stops the node. */
export function relieveAny(): Proc | null {
  return relieve(0, SUPERVISED) ?? relieve(PROC_BASE_BYTES + 1, NOTICED);
}

/** Kills the process the kernel counts the most memory against, if it holds
 *  at least `least` bytes, of those `who` allows (pressure's own: anyone).
 *  Returns it, or null if none qualifies. */
export function relieve(least: number, who = ANY): Proc | null {
  const victim = largest(least, who);
  if (!victim) return null;
  let most = weight(victim);
  killed++;
  const queued = victim.queueLen();
  const tables = charged(victim);
  let heap = null;
  try {
    heap = platform().memory();
  } catch {
    // no room for the figures: the death comes first
  }
  if (heap && heap.heapUsed < most) most = heap.heapUsed; // shared strings, counted per message (limits.ts)
  // Its messages go first: die's first writes (alive, the exit reason,
  // fields a process has on its prototype until then) allocate.
  if (victim.mailbox !== EMPTY) dropMailbox(victim);
  die(victim, 'out_of_memory');
  try {
    const at = heap ? `the heap at ${heap.heapUsed} of ${heap.heapLimit} bytes` : 'the heap full';
    logger.error(`process ${victim.pid} killed: out of memory: it held the most, ${most} bytes (${queued} messages queued, ${tables} bytes of tables), with ${at}`);
  } catch {
    // the line could not be built: the death itself is what counts
  }
  return victim;
}
