// mote's shell: Erlang's shell on the console. Each line is a JavaScript
// expression, evaluated in a process of its own and printed as Node's REPL
// prints it; help() lists the helpers (i(), memory(), observer(), ...).
//
//   mote boot shell.img                    on a terminal, like erl
//   printf '1+1\nhalt(0)\n' | mote boot shell.img
import * as mote from 'mote';
import { installWebGlobals, register, self, spawn, stdin, stdout, halt } from 'mote';
import { Evaluator } from './evaluate.ts';
import { installHelpers } from './helpers.ts';
import { LineEditor } from './line_editor.ts';

const PROMPT = '> ';

async function shell(): Promise<void> {
  installHelpers(mote);
  installWebGlobals(); // what a line names is eval'd, never bundled: give it every Web API

  const editor = new LineEditor(PROMPT);
  const evaluator = new Evaluator(self());
  stdout.write('mote shell: JavaScript on the node. help() lists the helpers; halt() or Ctrl-D leaves.\n' + PROMPT);
  for (;;) {
    const events = editor.take();
    let line: string | undefined;
    for (const e of events) {
      if ('write' in e) stdout.write(e.write);
      else if ('line' in e) line = e.line;
      else {
        if (e.again) halt(0); // twice on an empty line leaves, as in Node's REPL
        if (e.cancel === 'empty') stdout.write('(To leave, press Ctrl-C again, Ctrl-D, or type halt())\n');
        stdout.write(PROMPT);
      }
    }
    if (line !== undefined) {
      if (line.trim() !== '') {
        stdin.unread(editor.rest()); // type-ahead belongs to whoever reads next: the expression, perhaps
        stdout.write((await evaluator.run(line)) + '\n');
      }
      stdout.write(PROMPT);
      continue;
    }
    if (events.length > 0 && events.some((e) => 'cancel' in e)) continue;
    const keys = await stdin.read();
    if (keys === null) {
      stdout.write('\n');
      halt(0);
    }
    editor.feed(keys);
  }
}

register('shell', spawn(shell));
