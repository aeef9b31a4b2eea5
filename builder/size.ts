// RAM sizes as users write them: "16M", "512K", "1G", "1.5M", "4096B".
// Binary units, read as QEMU's -m reads them: a bare number is MiB.
const UNITS: Record<string, number> = { '': 1024 ** 2, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** Parses a size; throws a RangeError naming the bad text. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([KMG])(?:i?B)?|(B))?\s*$/i.exec(text);
  if (!m) throw new RangeError(`bad size '${text}': use a number with K, M or G, e.g. 16M (a bare number is MiB, as for QEMU's -m)`);
  const bytes = Math.round(Number(m[1]) * UNITS[(m[2] ?? m[3] ?? '').toUpperCase()]!);
  if (bytes <= 0) throw new RangeError(`bad size '${text}': it must be more than zero`);
  return bytes;
}

/** A comma-separated list of sizes, e.g. "8M,12M,16M". */
export function parseSizes(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new RangeError('no sizes given');
  return parts.map(parseSize);
}

/** 16777216 → "16M", 1572864 → "1.5M", 1000 → "1000B". */
export function formatSize(bytes: number): string {
  for (const [unit, n] of [['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) {
    if (bytes >= n && Number.isInteger((bytes / n) * 10)) return `${+(bytes / n).toFixed(1)}${unit}`;
  }
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(2)}M`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)}K`;
  return `${bytes}B`;
}

/** Human-readable KiB with thousands separators, for tables. */
export function kib(bytes: number): string {
  return `${Math.ceil(bytes / 1024).toLocaleString('en-US')} KiB`;
}
