// Credit-based termination (the RELEASE Orbit's): the master starts with
// credit 1 and hands it to the first work message. Whoever handles a work
// message splits its credit among the messages it sends, or returns it to
// the master if it sends none. Every pending message holds some credit, so
// the work is done exactly when the master holds 1 again.
//
// A credit is one term 2^-k, carried as its exponent k. Splitting halves
// terms, so any depth of work is exact (no rounding, no counter overflow).

/** Splits 2^-k into `n` single-term shares that add up to it exactly. */
export function split(k: number, n: number): number[] {
  if (n === 1) return [k];
  const half = n >> 1;
  return [...split(k + 1, n - half), ...split(k + 1, half)];
}

/** The master's sum of returned credit: a binary fraction, one bit per exponent. */
export class CreditSum {
  private readonly bits = new Set<number>();

  add(k: number): void {
    while (this.bits.has(k)) {
      this.bits.delete(k); // 2^-k + 2^-k = 2^-(k-1): carry
      k--;
    }
    this.bits.add(k);
  }

  /** True once all the credit (1 = 2^0) is back. */
  complete(): boolean {
    return this.bits.size === 1 && this.bits.has(0);
  }
}
