// Test helper: an in-memory payload from module sources, entry "main.js".
import type { Manifest } from '../../kernel/platform.ts';
import type { Payload } from '../../builder/hosted/index.ts';

export function payloadOf(main: string, others: Record<string, string> = {}, extra: Partial<Manifest> = {}): Payload {
  const files = new Map<string, string>([['main.js', main], ...Object.entries(others)]);
  const manifest: Manifest = {
    format: 1,
    name: 'test',
    version: '0.0.0',
    entry: 'main.js',
    modules: [...files].map(([name, text]) => ({ name, size: text.length, priority: 0 })),
    ...extra,
  };
  return { manifest, files };
}
