// Loaded by main.ts through import().
export function describe(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `report: ${sorted.length} values, min ${sorted[0]}, max ${sorted[sorted.length - 1]}`;
}
