// Lines of input, evaluated as erl's shell does it: in a process of its own
// (the evaluator), so an error, an exit or a runaway ends that process and
// never the shell. The evaluator sends back the text to print: the result as
// Node's REPL shows it, or "Uncaught ..." for what it threw.
import { ANY, exit, inspect, receive, Ref, send, spawnMonitor, stdin, TIMEOUT, type Pid } from 'mote';

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';

/** Node's REPL reads `{ a: 1 }` as an object, not a block: try it so first. */
function evalGlobal(src: string): unknown {
  const indirect = eval;
  if (/^\s*\{/.test(src) && /\}\s*;?\s*$/.test(src)) {
    try {
      return indirect(`(${src.replace(/;\s*$/, '')})`);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
    }
  }
  return indirect(src);
}

export function describeThrown(e: unknown): string {
  if (e instanceof Error) return `Uncaught ${e.name}: ${e.message}`;
  return `Uncaught ${inspect(e)}`;
}

/** The evaluator's life: one line at a time, each answered with the text
 *  to print. Its own messages (`send(self(), x)`) stay in its mailbox for
 *  the lines that receive them: it takes only its `$eval` requests. */
async function evaluator(shell: Pid): Promise<void> {
  for (;;) {
    const { $eval: ref, src } = await receive<{ $eval: Ref; src: string }>({ $eval: ANY });
    let text: string;
    try {
      let v = evalGlobal(src);
      if (isThenable(v)) v = await v;
      text = inspect(v);
    } catch (e) {
      text = describeThrown(e);
    }
    send(shell, { $evaluated: ref, text });
  }
}

/** One evaluator at a time, as erl's shell has: its tables and variables
 *  last from line to line; if it dies (an exit, a kill, the runaway guard)
 *  the shell says how and the next line gets a new one. */
export class Evaluator {
  private pid: Pid | null = null;
  private monitor: Ref | null = null;

  constructor(private readonly shell: Pid) {}

  async run(src: string): Promise<string> {
    if (!this.pid) {
      const { pid, ref } = spawnMonitor(() => evaluator(this.shell));
      this.pid = pid;
      this.monitor = ref;
    }
    const ref = new Ref();
    send(this.pid, { $eval: ref, src });
    // Ctrl-C while it runs interrupts it, as a terminal's Ctrl-C would.
    stdin.trapInterrupt(true);
    try {
      let interrupted = false;
      for (;;) {
        const m = await receive<{ text: string } | { type: 'DOWN'; reason: unknown } | { type: 'stdin_interrupt' }>([
          { $evaluated: ref },
          { type: 'DOWN', ref: this.monitor },
          { type: 'stdin_interrupt' },
        ]);
        if ('text' in m) return m.text;
        if (m.type === 'stdin_interrupt') {
          interrupted = true;
          exit(this.pid, 'kill');
          continue;
        }
        const dead = this.pid;
        this.pid = this.monitor = null;
        if (interrupted) return `** interrupted: the evaluator ${dead} was killed; a new one takes the next line`;
        const why = m.reason === 'killed' ? 'killed (it ran without yielding, or was sent kill)' : inspect(m.reason);
        return `** the evaluator ${dead} exited: ${why}; a new one takes the next line`;
      }
    } finally {
      stdin.trapInterrupt(false);
      while ((await receive({ type: 'stdin_interrupt' }, { after: 0 })) !== TIMEOUT); // one that came with the result
    }
  }
}
