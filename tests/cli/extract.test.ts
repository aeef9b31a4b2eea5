// The library's extractPayload (what `inspect --extract` calls): a payload
// name that points outside the directory is refused before anything is written.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../builder/errors.ts';
import { extractPayload } from '../../builder/extract.ts';
import type { Image } from '../../builder/image.ts';
import { tempDir } from './support.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const payload = (files: Array<[string, string]>) => ({ files: new Map(files.map(([n, s]) => [n, bytes(s)])) }) as Image;

describe('extractPayload', () => {
  it('writes each file under its name, subdirectories included', () => {
    const dir = join(tempDir(), 'out');
    const out = extractPayload(payload([['manifest.json', '{}'], ['chunks/a.js', 'a']]), dir);
    expect(out).toEqual({ root: dir, files: ['manifest.json', 'chunks/a.js'] });
    expect(readFileSync(join(dir, 'chunks/a.js'), 'utf8')).toBe('a');
  });

  it('refuses a name that climbs out of the directory, and writes nothing at all', () => {
    const dir = join(tempDir(), 'out');
    const run = () => extractPayload(payload([['manifest.json', '{}'], ['../escape.js', 'x']]), dir);
    expect(run).toThrow(InputError);
    expect(run).toThrow(`refusing to extract '../escape.js': it points outside ${dir}`);
    expect(existsSync(join(dir, '..', 'escape.js'))).toBe(false);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });
});
