// The shell's line editor alone: keys in, echo and lines out.
import { describe, expect, it } from 'vitest';
import { LineEditor, type EditorEvent } from '../../images/shell/line_editor.ts';

/** Feeds keys, takes every event until no more come; lines and cancels in order. */
function drive(ed: LineEditor, keys: string): { writes: string; done: (string | { cancel: string })[] } {
  ed.feed(keys);
  let writes = '';
  const done: (string | { cancel: string })[] = [];
  for (;;) {
    const evs: EditorEvent[] = ed.take();
    if (evs.length === 0) break;
    for (const e of evs) {
      if ('write' in e) writes += e.write;
      else if ('line' in e) done.push(e.line);
      else done.push({ cancel: e.cancel });
    }
  }
  return { writes, done };
}

describe('the line editor', () => {
  it('echoes what is typed and gives the line at Enter (\\r, \\n or \\r\\n, once)', () => {
    const ed = new LineEditor('> ');
    const r = drive(ed, '1+1\r\n2+2\n3\r');
    expect(r.done).toEqual(['1+1', '2+2', '3']);
    expect(r.writes).toBe('1+1\n2+2\n3\n');
  });

  it('backspace at the end rubs out; in the middle it redraws', () => {
    const ed = new LineEditor('> ');
    expect(drive(ed, 'abc\x7f\x7fd\r')).toEqual({ writes: 'abc\b \b\b \bd\n', done: ['ad'] });
    const mid = drive(ed, 'abc\x1b[D\x1b[D\x7f\r');
    expect(mid.done).toEqual(['bc']);
    expect(mid.writes).toBe('abc\x1b[1D\x1b[1D\r> bc\x1b[K\x1b[2D\n');
  });

  it('left and right move the cursor; typing inserts there', () => {
    const ed = new LineEditor('> ');
    expect(drive(ed, 'ac\x1b[Db\x1b[C\x1b[Cd\r').done).toEqual(['abcd']);
    expect(drive(ed, 'xy\x01w\x05z\r').done).toEqual(['wxyz']);
  });

  it('up and down walk the history and keep the line being typed', () => {
    const ed = new LineEditor('> ');
    drive(ed, 'one\rtwo\r');
    const r = drive(ed, 'new\x1b[A\x1b[A\x1b[A\x1b[B\x1b[B\r');
    expect(r.done).toEqual(['new']);
    expect(r.writes).toBe('new\r> two\x1b[K\r> one\x1b[K\r> two\x1b[K\r> new\x1b[K\n');
    expect(drive(ed, '\x1bOA\r').done).toEqual(['new']); // SS3 arrows, as some terminals send
    expect(drive(ed, '\x1b[A\x1b[A\r').done).toEqual(['two']); // no repeat of "new" in the history
  });

  it('an escape sequence split across reads still counts as one key', () => {
    const ed = new LineEditor('> ');
    drive(ed, 'abc\r');
    expect(drive(ed, '\x1b').done).toEqual([]);
    expect(drive(ed, '[').done).toEqual([]);
    expect(drive(ed, 'A\r').done).toEqual(['abc']);
  });

  it('Ctrl-C cancels the line, or says the line was empty; keys after it wait', () => {
    const ed = new LineEditor('> ');
    ed.feed('oops\x03\x03next\r');
    expect(ed.take()).toEqual([{ write: 'oops^C\n' }, { cancel: 'line' }]);
    expect(ed.take()).toEqual([{ write: '\n' }, { cancel: 'empty' }]);
    expect(ed.take()).toEqual([{ write: 'next\n' }, { line: 'next' }]);
    ed.feed('\x03\x03\x03x\x7f\x03');
    expect(ed.take()).toEqual([{ write: '\n' }, { cancel: 'empty' }]);
    expect(ed.take()).toEqual([{ write: '\n' }, { cancel: 'empty', again: true }]); // twice: leave
    expect(ed.take()).toEqual([{ write: '\n' }, { cancel: 'empty', again: true }]);
    expect(ed.take()).toEqual([{ write: 'x\b \b\n' }, { cancel: 'empty' }]); // a key between: a first one again
  });

  it('keys after a finished line are the type-ahead, handed back by rest()', () => {
    const ed = new LineEditor('> ');
    ed.feed('a\rqb');
    expect(ed.take()).toEqual([{ write: 'a\n' }, { line: 'a' }]);
    expect(ed.rest()).toBe('qb');
    expect(ed.take()).toEqual([]);
  });
});
