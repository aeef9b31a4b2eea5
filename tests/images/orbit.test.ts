// images/orbit: the sequential and parallel versions find the same orbit
// size, the size an independent reference finds, on both hosts at 8M.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../cli/support.ts';
import { buildImage, expectRefused, hosts, runOn } from './support.ts';
import { CreditSum, split } from '../../images/orbit/credit.ts';

// The orbit of 0 under g124 in [0..n), written here from the issue's
// definitions, apart from the image's code.
function referenceSize(n: number): number {
  const fib = (k: number): number => (k <= 1 ? 1 : fib(k - 1) + fib(k - 2));
  const k = (x: number) => (x % 100 < 49 ? 1 : x % 100 < 98 ? 2 : 3);
  const gens = [(x: number) => (fib(x % 16) + x) % n, (x: number) => Math.abs(fib((x % 16) + 5) + 2 * x * x + 5 * x - 1) % n, (x: number) => (fib(8 * k(x) + 3) - 1) % n];
  const seen = new Set([0]);
  const todo = [0];
  while (todo.length) {
    const x = todo.pop()!;
    for (const g of gens) {
      const y = g(x);
      if (!seen.has(y)) seen.add(y), todo.push(y);
    }
  }
  return seen.size;
}

const SPACE = 300;
let image: string;

beforeAll(() => {
  buildCli();
  image = buildImage('orbit');
});

describe('images/orbit', () => {
  for (const host of hosts) {
    it(`mote ${host}: sequential and parallel (P=3) agree with the reference on N=${SPACE}`, async () => {
      const want = referenceSize(SPACE);
      expect(want).toBeGreaterThan(100); // a space where the work spreads over the workers
      const r = await runOn(host, image, ['--', String(SPACE), '3']);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const seq = r.stdout.match(/sequential: size (\d+) in /);
      const par = r.stdout.match(/parallel P=3: size (\d+) in .*fragments (\d+) (\d+) (\d+)\)/);
      expect(seq, r.stdout).not.toBeNull();
      expect(par, r.stdout).not.toBeNull();
      expect(Number(seq![1])).toBe(want);
      expect(Number(par![1])).toBe(want);
      // Every worker owned part of the orbit.
      expect(par!.slice(2).map(Number).every((s) => s > 0)).toBe(true);
    }, 300_000);
  }

  it('mote run: bad parameters say so in one line and stop with status 2', async () => {
    await expectRefused(image, [
      [['--', '0', '3'], 'orbit: the space N must be an integer 1..60000000, got 0'],
      [['--', '300', 'x'], 'orbit: the workers P must be an integer, got x'],
      [['-e', 'VERSIONS=all'], 'orbit: VERSIONS must be sequential, parallel or both, got all'],
    ]);
  }, 60_000);
});

describe('credit', () => {
  const sumOf = (ks: number[]) => {
    const sum = new CreditSum();
    for (const k of ks) sum.add(k);
    return sum;
  };
  it('shares of 1 add back to exactly 1, and not without any one of them', () => {
    for (const n of [1, 2, 3, 5, 7, 64, 100]) {
      const shares = split(0, n);
      expect(shares.length).toBe(n);
      expect(sumOf(shares).complete()).toBe(true);
      if (n > 1) for (let i = 0; i < n; i++) expect(sumOf(shares.filter((_, j) => j !== i)).complete()).toBe(false);
    }
  });
  it('credit split again and again, to any depth, still adds up to 1', () => {
    let shares = [0];
    for (let depth = 0; depth < 40; depth++) shares = shares.flatMap((k, i) => (i === 0 ? split(k, 3) : [k]));
    expect(Math.max(...shares)).toBeGreaterThan(60); // past a double's precision
    expect(sumOf(shares.reverse()).complete()).toBe(true);
  });
});
