// The optional search module (declared: 3M): an index by each word's first
// two letters.
export function build(words: string[]): { find(prefix: string): string[] } {
  const byPrefix = new Map<string, string[]>();
  for (const w of words) {
    const key = w.slice(0, 2);
    let list = byPrefix.get(key);
    if (!list) byPrefix.set(key, (list = []));
    list.push(w);
  }
  return {
    find: (prefix) => (byPrefix.get(prefix.slice(0, 2)) ?? []).filter((w) => w.startsWith(prefix)),
  };
}
