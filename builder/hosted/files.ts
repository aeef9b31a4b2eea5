// A payload's files in memory, by name, as the hosted runner takes them.
export type PayloadFiles = Map<string, Uint8Array | string>;

const decoder = new TextDecoder();

/** The text of a payload file, or undefined. */
export function fileText(files: PayloadFiles, name: string): string | undefined {
  const f = files.get(name);
  return f === undefined ? undefined : typeof f === 'string' ? f : decoder.decode(f);
}
