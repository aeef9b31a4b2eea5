// One line of input, evaluated as erl's shell does it: in a process of its
// own (the evaluator), so an error, an exit or a runaway ends that process
// and never the shell. The evaluator sends back the text to print.
import { inspect, receive, send, spawnMonitor, demonitor, type Pid, type Ref } from 'mote';

/** What the shell prints for a line: the result as Node's REPL shows it,
 *  or "Uncaught ..." for what it threw. */
export type Outcome = { text: string };

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

async function evaluator(shell: Pid, ref: Ref, src: string): Promise<void> {
  let text: string;
  try {
    let v = evalGlobal(src);
    if (isThenable(v)) v = await v;
    text = inspect(v);
  } catch (e) {
    text = describeThrown(e);
  }
  send(shell, { $eval: ref, text });
}

/** Evaluates `src` in a new process and waits for what to print; if the
 *  evaluator dies first (exit, a kill, the runaway guard), says how. */
export async function evaluate(shell: Pid, ref: Ref, src: string): Promise<string> {
  const { pid, ref: mon } = spawnMonitor(() => evaluator(shell, ref, src));
  const m = await receive<{ $eval: Ref; text: string } | { type: 'DOWN'; reason: unknown }>([{ $eval: ref }, { type: 'DOWN', ref: mon }]);
  if ('text' in m) {
    demonitor(mon, { flush: true });
    return m.text;
  }
  const why = m.reason === 'killed' ? 'killed (it ran without yielding, or was sent kill)' : inspect(m.reason);
  return `** the evaluator ${pid} exited: ${why}`;
}
