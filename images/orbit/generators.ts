// The RELEASE benchmarks' generator set g124 over the space [0..N), as
// issue 14 gives it. fib is naive on purpose: its cost is the benchmark's.

export type Generator = (x: number) => number;

/** The largest space: 2x² + 5x - 1 must stay an exact integer (below 2^53). */
export const MAX_SPACE = 60_000_000;

export function fib(n: number): number {
  return n <= 1 ? 1 : fib(n - 1) + fib(n - 2);
}

const r = (n: number, v: number): number => Math.abs(v) % n;

function f4k(x: number): number {
  const m = x % 100;
  return m < 49 ? 1 : m < 98 ? 2 : 3;
}

/** g124 for the space [0..n): f1, f2 and f4. */
export function g124(n: number): Generator[] {
  return [
    (x) => r(n, fib(x % 16) + x),
    (x) => r(n, fib((x % 16) + 5) + 2 * x * x + 5 * x - 1),
    (x) => r(n, fib(8 * f4k(x) + 3) - 1),
  ];
}
