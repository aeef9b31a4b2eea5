// A fixed-size hash set of integers in [0..N): open addressing, linear
// probing, as the benchmark's tables are (no growth, so the slot count is
// part of the benchmark: 2N sequentially, floor(2N/P)+1 per worker).

/** Spreads consecutive integers over the slots (and over the workers). */
export function hash(x: number): number {
  return Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
}

export class HashSet {
  private readonly slots: Int32Array; // value + 1; 0 is empty
  size = 0;

  constructor(slotCount: number) {
    this.slots = new Int32Array(slotCount);
  }

  /** Adds `x`; true if it was not there. Throws when every slot is taken. */
  add(x: number, h = hash(x)): boolean {
    const s = this.slots;
    const n = s.length;
    for (let i = h % n, probes = 0; probes < n; probes++, i = i + 1 === n ? 0 : i + 1) {
      if (s[i] === x + 1) return false;
      if (s[i] === 0) {
        s[i] = x + 1;
        this.size++;
        return true;
      }
    }
    throw new Error(`orbit: a table of ${n} slots is full`);
  }
}
