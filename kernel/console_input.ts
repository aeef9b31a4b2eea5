/**
 * Console input, as Erlang's io:get_line and io:get_chars: a process asks
 * and waits in its own receive, so it works from async bodies and handlers
 * alike, and a timeout is an ordinary receive timeout. Processes that ask
 * together are served in turn, each request with its own piece.
 *
 * The kernel asks the host for input (platform `onInput`) only while a
 * request waits: input nobody reads stays with the host (QEMU's UART holds
 * it back), and a node whose processes all wait for something else stops as
 * it would without a console. The byte 0x04 (Ctrl-D; what the hosts send
 * when a pipe ends) ends the input: that request and every later one get
 * `null`.
 *
 *   const line = await stdin.readLine();          // without its \n, or null
 *   const keys = await stdin.read({ timeout: 1000 }); // as typed, null, or TIMEOUT
 */
import { END_OF_INPUT, platform } from './platform.ts';
import { deliver } from './mailbox.ts';
import { onDeath } from './signals.ts';
import { lookup, type Proc } from './process.ts';
import { Ref } from './term.ts';
import { receive, self, TIMEOUT, type Timeout } from './process_api.ts';

export interface ReadOptions {
  /** Ms to wait (default: forever); then the result is TIMEOUT. */
  timeout?: number;
}

interface Request {
  proc: Proc;
  ref: Ref;
  line: boolean;
}

const requests: Request[] = [];
/** What came from the host and nobody has taken yet. */
let buffered = '';
let ended = false;
let asking = false;
let hooked = false;
/** The process that traps Ctrl-C (trapInterrupt), if any. */
let trapper: Proc | null = null;
const INTERRUPT = '\x03';
/** Type-ahead kept while only a trapper wants input; past it the host keeps the rest. */
const MAX_AHEAD = 64 * 1024;

function onInput(text: string): void {
  if (trapper) {
    // Each Ctrl-C is taken out of the text and told, in order with it.
    for (let i = text.indexOf(INTERRUPT); i >= 0; i = text.indexOf(INTERRUPT)) {
      buffered += text.slice(0, i);
      text = text.slice(i + 1);
      deliver(trapper, { type: 'stdin_interrupt' });
    }
  }
  buffered += text;
  serve();
}

/** Answers what can be answered, then asks the host for input only if a request still waits. */
function serve(): void {
  while (requests.length > 0) {
    const piece = take(requests[0]!.line);
    if (piece === undefined) break;
    const r = requests.shift()!;
    deliver(r.proc, { $stdin: r.ref, data: piece });
  }
  const want = requests.length > 0 || (trapper !== null && !ended && buffered.length < MAX_AHEAD);
  if (want !== asking) {
    asking = want;
    platform().onInput(want ? onInput : null);
  }
}

/** A line (through \n, \r or \r\n, which it leaves out), whatever has come
 *  (raw), null at the end, or undefined if that is not there yet. */
function take(line: boolean): string | null | undefined {
  const end = buffered.indexOf(END_OF_INPUT);
  if (end >= 0) {
    ended = true;
    const before = buffered.slice(0, end);
    buffered = before; // nothing after the end is read
  }
  if (line) {
    const m = /\r\n|\r|\n/.exec(buffered);
    if (m) {
      const piece = buffered.slice(0, m.index);
      // A \r at the very end may be half of a \r\n still to come.
      if (!(m[0] === '\r' && m.index === buffered.length - 1 && !ended)) {
        buffered = buffered.slice(m.index + m[0].length);
        return piece;
      }
    }
    if (!ended) return undefined;
  } else if (buffered.length > 0) {
    const piece = buffered;
    buffered = '';
    return piece;
  }
  if (!ended) return undefined;
  // The end: a last line without its newline first, then null for ever.
  if (buffered.length > 0) {
    const piece = buffered;
    buffered = '';
    return piece;
  }
  return null;
}

async function request(line: boolean, opts: ReadOptions | undefined): Promise<string | null | Timeout> {
  const timeout = opts?.timeout ?? Infinity;
  if (typeof timeout !== 'number' || !(timeout >= 0)) throw new TypeError(`stdin: timeout must be a number of ms >= 0, got ${String(opts?.timeout)}`);
  const proc = lookup(self())!;
  hookDeaths();
  const r: Request = { proc, ref: new Ref(), line };
  requests.push(r);
  serve();
  const m = await receive({ $stdin: r.ref }, { after: timeout });
  if (m !== TIMEOUT) return (m as { data: string | null }).data;
  const i = requests.indexOf(r);
  if (i < 0) {
    // Served after the timeout fired but before this ran: the data wins.
    const late = await receive({ $stdin: r.ref }, { after: 0 });
    if (late !== TIMEOUT) return (late as { data: string | null }).data;
  } else {
    requests.splice(i, 1);
    serve();
  }
  return TIMEOUT;
}

/** The next line of console input without its line end; `null` once the
 *  input has ended. The calling process waits for it. */
export function readLine(): Promise<string | null>;
export function readLine(opts: ReadOptions): Promise<string | null | Timeout>;
export function readLine(opts?: ReadOptions): Promise<string | null | Timeout> {
  return request(true, opts);
}

/** Whatever console input has come, at least one character, as typed (on a
 *  terminal: each key, Enter as \r, arrows as escape sequences); `null` once
 *  the input has ended. The calling process waits for it. */
export function read(): Promise<string | null>;
export function read(opts: ReadOptions): Promise<string | null | Timeout>;
export function read(opts?: ReadOptions): Promise<string | null | Timeout> {
  return request(false, opts);
}

/** Puts `text` back in front of the input, for a reader that took more
 *  than it used (a line editor's type-ahead): the next request gets it first. */
export function unread(text: string): void {
  if (typeof text !== 'string') throw new TypeError(`stdin.unread: text must be a string, got ${typeof text}`);
  if (text === '') return;
  buffered = text + buffered;
  serve();
}

/** Traps Ctrl-C for the calling process, as a terminal makes it a signal
 *  rather than a key: while on, each Ctrl-C (0x03) that comes from the host
 *  is taken out of the input and sent as `{ type: 'stdin_interrupt' }`, and
 *  the kernel asks for input even while nobody reads, so a busy process
 *  hears it (images/shell interrupts an expression so). One process at a
 *  time; its death turns it off. Input that came before stays as it was.
 *  Returns whether the caller trapped it before. */
export function trapInterrupt(on: boolean): boolean {
  const p = lookup(self())!;
  hookDeaths();
  const was = trapper === p;
  if (on) trapper = p;
  else if (was) trapper = null;
  serve();
  return was;
}

/** Whether the input has ended (a 0x04 was read). */
export function atEnd(): boolean {
  return ended && buffered.length === 0;
}

/** A death gave up a place in the input, and serve() has not yet run after it. */
let serveOwed = false;

/** A process that dies waiting (or trapping) gives up its place. Hooked at
 *  first use, not at load, so an app that never reads input bundles none of this. */
function hookDeaths(): void {
  if (hooked) return;
  hooked = true;
  onDeath.push((p: Proc) => {
    if (trapper === p) {
      trapper = null;
      serveOwed = true;
    }
    for (let i = requests.length - 1; i >= 0; i--) {
      if (requests[i]!.proc === p) {
        requests.splice(i, 1);
        serveOwed = true;
      }
    }
    // Cleared only once serve() has run: a death run again after running out
    // of memory midway (signals.ts) still hands the input on.
    if (serveOwed) {
      serve();
      serveOwed = false;
    }
  });
}

/** Is the host asked for console input (someone waits for it)? */
export function inputWanted(): boolean {
  return asking;
}
