// package.json's "mote" field, checked whole: each setting is what it should
// be, and a key that is not a setting (a typo such as "memry") is an error,
// not silently ignored. Each message names the field and what it should be.
import type { Manifest } from '../kernel/platform.ts';
import { envDefaults } from './env-config.ts';
import { InputError } from './errors.ts';
import { memoryNeeds, type MemoryField } from './memory-needs.ts';
import { netConfig } from './net-config.ts';

export const MOTE_EXAMPLE = '{"entry": "src/main.ts", "memory": {"min": "1M", "full": "4M"}}';
const MEMORY_EXAMPLE = '{"min": "1M", "full": "4M"}';

/** The settings, each with what it should be (for messages). */
const SETTINGS = {
  entry: 'the entry file, relative to package.json, such as "src/main.ts"',
  memory: `the heap the app needs, such as ${MEMORY_EXAMPLE}`,
  net: 'a static address, such as {"address": "10.0.2.15"}',
  env: 'environment defaults, such as {"MODE": "fast"}',
  console: '"raw" to give the app every key, Ctrl-C included (mote run and boot then do not stop on it), or "signals" (the default)',
} as const;

export interface MoteSettings {
  entry?: string;
  memory?: Manifest['memory'];
  net?: Manifest['net'];
  env?: Manifest['env'];
  console?: Manifest['console'];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The "mote" field of the package.json at `where`, checked. */
export function moteSettings(mote: unknown, where: string): MoteSettings {
  if (mote === undefined) return {};
  if (!isObject(mote)) throw new InputError(`${where}: "mote" must be an object, such as ${MOTE_EXAMPLE}`);
  for (const key of Object.keys(mote)) {
    if (!(key in SETTINGS)) throw new InputError(`${where}: "mote.${key}" is not a setting${hint(key)}: the settings are ${listOf(Object.keys(SETTINGS))}`);
  }
  const { entry, memory, console: keys } = mote;
  if (keys !== undefined && keys !== 'raw' && keys !== 'signals') {
    throw new InputError(`${where}: "mote.console" must be ${SETTINGS.console}, got ${JSON.stringify(keys)}`);
  }
  if (entry !== undefined && (typeof entry !== 'string' || entry === '')) {
    throw new InputError(`${where}: "mote.entry" must be ${SETTINGS.entry}, got ${JSON.stringify(entry)}`);
  }
  if (memory !== undefined) {
    if (!isObject(memory)) throw new InputError(`${where}: "mote.memory" must be an object, such as ${MEMORY_EXAMPLE}, got ${JSON.stringify(memory)}`);
    for (const key of Object.keys(memory)) {
      if (key !== 'min' && key !== 'full' && key !== 'optional') {
        throw new InputError(`${where}: "mote.memory.${key}" is not a setting: give min (the heap to start), full (the heap to run fully) and optional (each optional module's heap), as in ${MEMORY_EXAMPLE}`);
      }
    }
  }
  return {
    ...(entry !== undefined ? { entry } : {}),
    memory: memoryNeeds(memory as MemoryField | undefined, where),
    net: netConfig(mote.net, where),
    env: envDefaults(mote.env, where),
    ...(keys === 'raw' ? { console: 'raw' as const } : {}),
  };
}

/** ", did you mean X?" for a key one or two edits from a setting. */
function hint(key: string): string {
  const near = Object.keys(SETTINGS).find((s) => distance(key.toLowerCase(), s) <= 2);
  return near ? ` (did you mean "${near}"?)` : '';
}

function listOf(words: string[]): string {
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** Levenshtein distance, for short keys. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
