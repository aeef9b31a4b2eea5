// One Orbit run: the sequential version, then the parallel one, on the same
// generators and space; both sizes and times on the console. Status 1 if
// they disagree.
import { args, getenv, halt, monotonicTime, receive, spawn, spawnMonitor, type DownMessage } from 'mote';
import { g124, MAX_SPACE } from './generators.ts';
import { sequentialOrbit } from './sequential.ts';
import { parallelOrbit } from './parallel.ts';

export interface OrbitParams {
  /** N: the space is [0..N). */
  space: number;
  /** P: parallel workers. */
  workers: number;
  /** Which versions to run (both by default). */
  versions?: Array<'sequential' | 'parallel'>;
}

const VERSIONS = { sequential: ['sequential'], parallel: ['parallel'], both: ['sequential', 'parallel'] } as const;

/** The parameters from the command line: `-- N P`, or the environment N, P
 *  and VERSIONS (sequential, parallel or both), package.json's defaults
 *  under them. A one-line message if one is bad. */
export function paramsFromCommandLine(): OrbitParams | string {
  const [n = getenv('N'), p = getenv('P'), extra] = args();
  if (extra !== undefined) return `orbit: at most two arguments, N and P; got ${args().join(' ')}`;
  const v = getenv('VERSIONS') ?? 'both';
  if (!Object.prototype.hasOwnProperty.call(VERSIONS, v)) return `orbit: VERSIONS must be sequential, parallel or both, got ${v}`;
  for (const [name, raw] of [['the space N', n], ['the workers P', p]]) {
    if (raw === undefined || !/^\d+$/.test(raw)) return `orbit: ${name} must be an integer, got ${raw ?? 'nothing'}`;
  }
  return { space: Number(n), workers: Number(p), versions: [...VERSIONS[v as keyof typeof VERSIONS]] };
}

export function checkParams(p: OrbitParams): string | null {
  if (!Number.isInteger(p.space) || p.space < 1 || p.space > MAX_SPACE) return `orbit: the space N must be an integer 1..${MAX_SPACE}, got ${p.space}`;
  if (!Number.isInteger(p.workers) || p.workers < 1 || p.workers > 1024) return `orbit: the workers P must be an integer 1..1024, got ${p.workers}`;
  return null;
}

export async function runOrbit(p: OrbitParams): Promise<void> {
  const bad = checkParams(p);
  if (bad) {
    console.log(bad);
    halt(2);
  }
  const gens = g124(p.space);
  const versions = p.versions ?? ['sequential', 'parallel'];
  const sizes: number[] = [];
  if (versions.includes('sequential')) {
    const t = monotonicTime();
    const size = await sequentialOrbit(p.space, gens);
    console.log(`orbit g124 N=${p.space} sequential: size ${size} in ${(monotonicTime() - t).toFixed(1)} ms`);
    sizes.push(size);
  }
  if (versions.includes('parallel')) {
    const t = monotonicTime();
    const r = await parallelOrbit(p.space, p.workers, gens);
    const ms = (monotonicTime() - t).toFixed(1);
    console.log(`orbit g124 N=${p.space} parallel P=${p.workers}: size ${r.size} in ${ms} ms (${r.messages} work messages; fragments ${r.sizes.join(' ')})`);
    sizes.push(r.size);
  }
  if (sizes.some((s) => s !== sizes[0])) {
    console.log(`orbit: the sizes disagree: ${sizes.join(' vs ')}`);
    halt(1);
  }
}

/** Runs Orbit in a process of its own and stops the node with status 3 if
 *  it (or a worker, linked to it) crashes, rather than ending quietly. */
export function runMain(p: OrbitParams | string): void {
  spawn(async () => {
    if (typeof p === 'string') {
      console.log(p);
      halt(2);
    }
    const { ref } = spawnMonitor(() => runOrbit(p));
    const down = await receive<DownMessage>({ type: 'DOWN', ref });
    if (down.reason !== 'normal') {
      console.log(`orbit: failed: ${typeof down.reason === 'string' ? down.reason : JSON.stringify(down.reason)}`);
      halt(3);
    }
  });
}
