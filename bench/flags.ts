// The bench scripts' command lines, read by node:util's parseArgs: `--help`
// prints the script's text; an unknown flag, a flag without its value or a
// number that is not one gets one line and status 2, rather than a run that
// ignores it or measures with NaN.
import { parseArgs } from 'node:util';

export interface Flags {
  /** Whether a switch (a flag without a value, such as --quick) was given. */
  has(name: string): boolean;
  text(name: string, dflt: string): string;
  /** A number >= 0. */
  number(name: string, dflt: number): number;
  /** A comma-separated list. */
  list(name: string, dflt: string): string[];
}

/** `values`: the flags that take a value; `switches`: those that do not. */
export function readFlags(help: string, values: string[], switches: string[] = []): Flags {
  const script = /bench\/[\w/-]+\.ts/.exec(help)?.[0] ?? 'bench'; // vite-node is argv[1]
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const v of values) options[v] = { type: 'string' };
  for (const s of switches) options[s] = { type: 'boolean' };
  let parsed: Record<string, string | boolean | undefined>;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    refuse(script, (e as Error).message.split('\n')[0]!);
  }
  if (parsed.help) {
    console.log(help);
    process.exit(0);
  }
  const text = (name: string, dflt: string): string => (parsed[name] as string | undefined) ?? dflt;
  return {
    has: (name) => parsed[name] === true,
    text,
    number(name, dflt) {
      const given = parsed[name] as string | undefined;
      if (given === undefined) return dflt;
      const n = Number(given);
      if (given.trim() === '' || !Number.isFinite(n) || n < 0) refuse(script, `--${name} takes a number >= 0, not '${given}'`);
      return n;
    },
    list: (name, dflt) => text(name, dflt).split(',').filter(Boolean),
  };
}

function refuse(script: string, why: string): never {
  console.error(`${script}: ${why} (--help lists the flags)`);
  process.exit(2);
}
