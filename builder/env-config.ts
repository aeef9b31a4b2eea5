// package.json's "mote.env": the app's environment defaults, carried in the
// manifest; `--env NAME=value` and a raw boot's -append override them
// (kernel/args.ts).
import type { Manifest } from '../kernel/platform.ts';
import { ENV_NAME } from './cmdline.ts';
import { InputError } from './errors.ts';

/** The manifest's `env`; `where` names the package.json in messages. */
export function envDefaults(e: unknown, where: string): Manifest['env'] {
  if (e === undefined) return undefined;
  if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new InputError(`${where}: "mote.env" must be an object of strings, such as {"MODE": "fast"}`);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(e)) {
    if (!ENV_NAME.test(key)) throw new InputError(`${where}: "mote.env" name ${JSON.stringify(key)} must be letters, digits and _, not starting with a digit`);
    if (typeof value !== 'string') throw new InputError(`${where}: "mote.env.${key}" must be a string, got ${JSON.stringify(value)}`);
    out[key] = value;
  }
  return out;
}
