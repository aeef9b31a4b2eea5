// Deterministic pseudo-words: the service's data, and what the modules index.
export const WORDS = 20_000;

export function words(n: number): string[] {
  const out: string[] = [];
  let x = 12345;
  for (let i = 0; i < n; i++) {
    let w = '';
    for (let k = 0; k < 8; k++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      w += String.fromCharCode(97 + ((x >>> 16) % 26));
    }
    out.push(w);
  }
  return out;
}
