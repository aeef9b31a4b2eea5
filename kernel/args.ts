/**
 * The node's arguments and environment, from the platform's command line
 * (on metal the kernel command line, QEMU's `-append`), with the manifest's
 * environment defaults (package.json "mote.env") under it.
 *
 * The encoding, as Linux passes its command line to init (kernel/README.md):
 *   - words are separated by spaces, tabs and newlines;
 *   - `"…"` quotes part of a word: inside, `\"` is ", `\\` is \, `\n` a
 *     newline, any other backslash stays; outside quotes, `\x` is x;
 *   - before the first unquoted `--`, a word `NAME=value` (NAME of letters,
 *     digits and _, not starting with a digit) is environment, any other word
 *     an argument; every word after it is an argument.
 *
 *   -append 'PORT=8080 MODE="very fast" -- input.txt "two words"'
 */
import { platform } from './platform.ts';

const ENV_WORD = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/;

interface Word {
  text: string;
  /** Some part of it was quoted or escaped: `--` so written is an argument. */
  quoted: boolean;
}

/** Splits a command line into words (the encoding above). */
export function splitWords(line: string): Word[] {
  const words: Word[] = [];
  let cur: Word | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (cur) words.push(cur);
      cur = null;
      continue;
    }
    cur ??= { text: '', quoted: false };
    if (c === '\\' && i + 1 < line.length) {
      cur.text += line[++i];
      cur.quoted = true;
    } else if (c === '"') {
      cur.quoted = true;
      for (i++; i < line.length && line[i] !== '"'; i++) {
        const d = line[i]!;
        const next = line[i + 1];
        if (d === '\\' && (next === '"' || next === '\\')) cur.text += line[++i];
        else if (d === '\\' && next === 'n') {
          cur.text += '\n';
          i++;
        } else cur.text += d;
      }
    } else cur.text += c;
  }
  if (cur) words.push(cur);
  return words;
}

export interface CommandLine {
  args: string[];
  env: Record<string, string>;
}

/** A command line as arguments and environment. */
export function parseCommandLine(line: string): CommandLine {
  const args: string[] = [];
  const env: Record<string, string> = {};
  let afterDashes = false;
  for (const w of splitWords(line)) {
    if (afterDashes) args.push(w.text);
    else if (w.text === '--' && !w.quoted) afterDashes = true;
    else {
      const m = ENV_WORD.exec(w.text);
      if (m) env[m[1]!] = m[2]!;
      else args.push(w.text);
    }
  }
  return { args, env };
}

let parsed: CommandLine | null = null;
/** The host it was read from (the node test host installs a new one per run). */
let parsedFrom: unknown = null;

function current(): CommandLine {
  const p = platform();
  if (parsed && parsedFrom === p) return parsed;
  parsedFrom = p;
  const line = parseCommandLine(p.commandLine());
  const defaults = p.manifest().env ?? {};
  parsed = { args: line.args, env: { ...defaults, ...line.env } };
  return parsed;
}

/** The node's arguments (`mote run IMAGE -- a b`, or after `--` in `-append`). A copy. */
export function args(): string[] {
  return [...current().args];
}

/** The node's environment: package.json's "mote.env" under the command
 *  line's `NAME=value` words (`--env NAME=value`). A copy. */
export function env(): Record<string, string> {
  return { ...current().env };
}

/** One environment variable, or undefined. */
export function getenv(name: string): string | undefined {
  const e = current().env;
  return Object.prototype.hasOwnProperty.call(e, name) ? e[name] : undefined;
}
