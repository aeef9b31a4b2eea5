// The shell's line editor: keys in (as a terminal in raw mode sends them,
// or as a pipe does), what to write back and the lines typed out. Pure, so
// it is tested alone. A serial console has no local echo: the editor echoes.
//
//   printable     inserted at the cursor
//   Backspace     deletes before the cursor (DEL 0x7f or BS 0x08)
//   Left, Right   move the cursor; Home/End and Ctrl-A/Ctrl-E to the ends
//   Up, Down      walk the history (the line being typed is kept)
//   Ctrl-U        clears the line
//   Ctrl-C        cancels the line
//   Enter         \r, \n or \r\n: the line is done

export type EditorEvent =
  | { write: string }
  | { line: string }
  /** Ctrl-C; `empty` if the line was already empty, `again` if the key
   *  before it was such a Ctrl-C too. */
  | { cancel: 'line' | 'empty'; again?: true };

const CSI = /^\x1b(?:\[([0-9;]*)([@-~])|O([A-Za-z]))/;

export class LineEditor {
  private pending = '';
  private line = '';
  private cursor = 0;
  private readonly history: string[] = [];
  /** Where Up/Down stand in the history; history.length is the new line. */
  private browsing = 0;
  private draft = '';
  private afterCR = false;
  /** The last key was a Ctrl-C on an empty line. */
  private emptyCancel = false;

  constructor(readonly prompt: string, private readonly maxHistory = 100) {}

  /** Keys that came in; `take` works through them. */
  feed(keys: string): void {
    this.pending += keys;
  }

  /** Keys fed but not yet worked through (after a line, the type-ahead). */
  rest(): string {
    const r = this.pending;
    this.pending = '';
    return r;
  }

  /** Works through the keys fed, up to and including the first finished or
   *  cancelled line; the keys after it wait for the next call. */
  take(): EditorEvent[] {
    const out: EditorEvent[] = [];
    const write = (s: string) => {
      const last = out[out.length - 1];
      if (last && 'write' in last) last.write += s;
      else out.push({ write: s });
    };
    while (this.pending.length > 0) {
      const c = this.pending[0]!;
      if (c === '\x1b') {
        const m = CSI.exec(this.pending);
        if (!m) {
          if (this.pending.length < 3 && /^\x1b(\[[0-9;]*|O)?$/.test(this.pending)) break; // the rest is still to come
          this.pending = this.pending.slice(1); // a lone Escape
          continue;
        }
        this.pending = this.pending.slice(m[0].length);
        this.afterCR = false;
        this.emptyCancel = false;
        this.escape(m[2] ?? m[3]!, m[1] ?? '', write);
        continue;
      }
      this.pending = this.pending.slice(1);
      const again = this.emptyCancel;
      this.emptyCancel = false;
      if (c === '\n' && this.afterCR) {
        this.afterCR = false;
        continue;
      }
      this.afterCR = c === '\r';
      if (c === '\r' || c === '\n') {
        out.push(...this.finish(write));
        return out;
      }
      if (c === '\x03') {
        const empty = this.line === '';
        write(empty ? '\n' : '^C\n');
        this.reset();
        this.emptyCancel = empty;
        out.push(empty ? { cancel: 'empty', ...(again ? { again: true as const } : {}) } : { cancel: 'line' });
        return out;
      }
      this.key(c, write);
    }
    return out;
  }

  private finish(write: (s: string) => void): EditorEvent[] {
    const line = this.line;
    write('\n');
    if (line.trim() !== '' && this.history[this.history.length - 1] !== line) {
      this.history.push(line);
      if (this.history.length > this.maxHistory) this.history.shift();
    }
    this.reset();
    return [{ line }];
  }

  private reset(): void {
    this.line = '';
    this.cursor = 0;
    this.browsing = this.history.length;
    this.draft = '';
  }

  private key(c: string, write: (s: string) => void): void {
    if (c === '\x7f' || c === '\b') {
      if (this.cursor === 0) return;
      const atEnd = this.cursor === this.line.length;
      this.line = this.line.slice(0, this.cursor - 1) + this.line.slice(this.cursor);
      this.cursor--;
      if (atEnd) write('\b \b');
      else write(this.redraw());
    } else if (c === '\x01') {
      this.moveTo(0, write);
    } else if (c === '\x05') {
      this.moveTo(this.line.length, write);
    } else if (c === '\x15') {
      this.setLine('', write);
    } else if (c >= ' ' || c === '\t') {
      const ch = c === '\t' ? '  ' : c;
      const atEnd = this.cursor === this.line.length;
      this.line = this.line.slice(0, this.cursor) + ch + this.line.slice(this.cursor);
      this.cursor += ch.length;
      write(atEnd ? ch : this.redraw());
    }
    // Other control keys do nothing.
  }

  private escape(final: string, params: string, write: (s: string) => void): void {
    switch (final) {
      case 'A':
        return this.walk(-1, write);
      case 'B':
        return this.walk(1, write);
      case 'C':
        return this.moveTo(Math.min(this.line.length, this.cursor + 1), write);
      case 'D':
        return this.moveTo(Math.max(0, this.cursor - 1), write);
      case 'H':
        return this.moveTo(0, write);
      case 'F':
        return this.moveTo(this.line.length, write);
      case '~':
        if (params === '3' && this.cursor < this.line.length) {
          this.line = this.line.slice(0, this.cursor) + this.line.slice(this.cursor + 1);
          write(this.redraw());
        } else if (params === '1' || params === '7') this.moveTo(0, write);
        else if (params === '4' || params === '8') this.moveTo(this.line.length, write);
    }
  }

  private walk(step: number, write: (s: string) => void): void {
    const to = this.browsing + step;
    if (to < 0 || to > this.history.length) return;
    if (this.browsing === this.history.length) this.draft = this.line;
    this.browsing = to;
    this.setLine(to === this.history.length ? this.draft : this.history[to]!, write);
  }

  private setLine(text: string, write: (s: string) => void): void {
    this.line = text;
    this.cursor = text.length;
    write(this.redraw());
  }

  private moveTo(cursor: number, write: (s: string) => void): void {
    if (cursor === this.cursor) return;
    const d = cursor - this.cursor;
    this.cursor = cursor;
    write(d > 0 ? `\x1b[${d}C` : `\x1b[${-d}D`);
  }

  /** The whole line again: back to the start, prompt, text, clear what
   *  was longer, the cursor back where it stands. */
  private redraw(): string {
    const back = this.line.length - this.cursor;
    return `\r${this.prompt}${this.line}\x1b[K${back > 0 ? `\x1b[${back}D` : ''}`;
  }
}
