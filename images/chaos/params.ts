// The run's parameters, from the environment (package.json's "mote.env"
// under `-e NAME=value`).
import { getenv, logger } from 'mote';

type Level = logger.Level;

export interface ChaosParams {
  durationMs: number;
  /** Kills per second. */
  rate: number;
  clients: number;
  keys: number;
  workers: number;
  pools: number;
  intensity: number;
  periodMs: number;
  seed: number;
  log: Level | 'none';
  /** Serve the line protocol over TCP on this port (front.ts); 0: no. */
  port: number;
}

const INTS: Array<[keyof ChaosParams, string, number, number]> = [
  ['durationMs', 'DURATION_MS', 1, 3_600_000],
  ['rate', 'RATE', 1, 10_000],
  ['clients', 'CLIENTS', 0, 1000],
  ['keys', 'KEYS', 1, 100_000],
  ['workers', 'WORKERS', 1, 256],
  ['pools', 'POOLS', 1, 64],
  ['intensity', 'INTENSITY', 0, 1_000_000],
  ['periodMs', 'PERIOD_MS', 1, 3_600_000],
  ['seed', 'SEED', 0, 2 ** 32 - 1],
  ['port', 'PORT', 0, 65535],
];

/** The parameters from the environment (package.json's "mote.env" under
 *  `-e NAME=value`); a one-line message if one is missing or bad. */
export function paramsFromEnv(): ChaosParams | string {
  const p = {} as Record<string, unknown>;
  for (const [key, name, lo, hi] of INTS) {
    const raw = getenv(name);
    if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < lo || Number(raw) > hi) return `chaos: ${name} must be an integer ${lo}..${hi}, got ${raw ?? 'nothing'}`;
    p[key] = Number(raw);
  }
  const log = getenv('LOG') ?? 'critical';
  if (![...logger.LEVELS, 'none'].includes(log as Level)) return `chaos: LOG must be one of ${logger.LEVELS.join(', ')} or none, got ${log}`;
  p.log = log;
  const c = p as unknown as ChaosParams;
  if (c.pools > c.workers) return `chaos: POOLS (${c.pools}) must not pass WORKERS (${c.workers})`;
  return c;
}
