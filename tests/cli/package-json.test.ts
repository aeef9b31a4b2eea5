// Bad "mote" fields in package.json: each is refused before anything is
// built, with one line that names the field and what it should be, and
// status 1 (the command failed: docs/ARCHITECTURE.md, mote --help).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, expectNoStack, moteSync, tempDir } from './support.ts';

const dir = tempDir();

beforeAll(() => buildCli());

function app(name: string, pkg: unknown): string {
  const root = join(dir, name);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify(pkg));
  writeFileSync(join(root, 'main.ts'), 'console.log("built");\n');
  return root;
}

const cases: Array<{ name: string; pkg: unknown; message: string }> = [
  { name: 'an entry that is a number', pkg: { mote: { entry: 5 } }, message: '"mote.entry" must be the entry file, relative to package.json, such as "src/main.ts", got 5' },
  { name: 'an empty entry', pkg: { mote: { entry: '' } }, message: '"mote.entry" must be the entry file, relative to package.json, such as "src/main.ts", got ""' },
  { name: 'memory as a list', pkg: { mote: { memory: [1, 2] } }, message: '"mote.memory" must be an object, such as {"min": "1M", "full": "4M"}, got [1,2]' },
  { name: 'memory as a size', pkg: { mote: { memory: '4M' } }, message: '"mote.memory" must be an object, such as {"min": "1M", "full": "4M"}, got "4M"' },
  { name: 'a key in memory that is not a setting', pkg: { mote: { memory: { max: '4M' } } }, message: '"mote.memory.max" is not a setting: give min (the heap to start), full (the heap to run fully) and optional (each optional module\'s heap), as in {"min": "1M", "full": "4M"}' },
  { name: 'optional as a list', pkg: { mote: { memory: { optional: ['report'] } } }, message: '"mote.memory.optional" must be an object naming each optional module\'s heap, such as {"report": "2M"}' },
  { name: 'an optional need that is not a size', pkg: { mote: { memory: { optional: { report: 'lots' } } } }, message: '"mote.memory.optional.report" is not a size: "lots"' },
  { name: 'optional needs past full', pkg: { mote: { memory: { min: '1M', full: '2M', optional: { report: '2M' } } } }, message: '"mote.memory.full" ("2M") is less than min and every optional module together (3072 KiB): at full, every module must load' },
  { name: 'a misspelt setting', pkg: { mote: { memry: { min: '1M' } } }, message: '"mote.memry" is not a setting (did you mean "memory"?): the settings are entry, memory, net, env and console' },
  { name: 'an unknown setting', pkg: { mote: { entry: 'main.ts', optimise: true } }, message: '"mote.optimise" is not a setting: the settings are entry, memory, net, env and console' },
  { name: 'a name that is not a string', pkg: { name: 5, mote: {} }, message: '"name" must be a string, got 5' },
  { name: 'a package.json that is not an object', pkg: [1], message: 'must be a JSON object, such as {"name": "app", "mote": {"entry": "src/main.ts", "memory": {"min": "1M", "full": "4M"}}}' },
];

describe('mote build with a bad package.json', () => {
  for (const [i, c] of cases.entries()) {
    it(`${c.name}: one line naming the field, status 1`, () => {
      const root = app(`app${i}`, c.pkg);
      const r = moteSync(['build', root, '-o', join(dir, `app${i}.img`)]);
      expect(r.stderr).toBe(`mote: error: ${join(root, 'package.json')}: ${c.message}\n`);
      expect(r.stdout).toBe('');
      expect(r.status).toBe(1);
      expectNoStack(r);
    });
  }

  it('the settings as documented still build', () => {
    const root = app('good', { name: 'good', version: '1.0.0', mote: { entry: 'main.ts', memory: { min: '1M', full: 4 << 20 }, env: { MODE: 'fast' } } });
    const r = moteSync(['build', root, '-o', join(dir, 'good.img'), '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).manifest).toMatchObject({ name: 'good', version: '1.0.0', memory: { min: 1 << 20, full: 4 << 20 }, env: { MODE: 'fast' } });
  });
});
