// npm packages resolve as a bundler for a non-Node runtime resolves them
// (builder/bundle.ts): popular pure-JS packages, installed from npm as
// mote's devDependencies, run alike on both hosts; and which file a package
// gives is its "exports" import/module/default entry, else "module", else
// "main", never its node or browser one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, mote, moteSync, tempDir } from './support.ts';

beforeAll(buildCli);

const EXPECTED = [
  'lodash-es [[1,2],[3,4],[5]] {"3":["one","two"],"5":["three"]}',
  'dayjs 2024-02-29T12:00:00.000Z',
  'zod true false',
  'date-fns 2024-03-01',
  'immer {"items":[1,2]} {"items":[1,2,3]} true',
].join('\n') + '\n';

describe('npm packages', () => {
  const image = join(tempDir(), 'npm.img');

  beforeAll(() => {
    const r = moteSync(['build', 'tests/cli/fixtures/npm-packages/main.ts', '-o', image]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('lodash-es, dayjs, zod, date-fns and immer run hosted', () => {
    const r = moteSync(['run', image]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(EXPECTED);
    expect(r.status).toBe(0);
  });

  it('and the same under QEMU', async () => {
    const r = await mote(['boot', image, '--net', 'none', '--timeout', '120']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(EXPECTED);
    expect(r.status).toBe(0);
  }, 180_000);

  it('a package gives its exports import entry, else module, else main; never node or browser', () => {
    const dir = tempDir();
    const pkg = (name: string, json: object, files: string[]) => {
      mkdirSync(join(dir, 'node_modules', name), { recursive: true });
      writeFileSync(join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, version: '1.0.0', ...json }));
      for (const f of files) writeFileSync(join(dir, 'node_modules', name, f), `export const which = '${f}';\n`);
    };
    pkg('by-exports', { exports: { node: './node.js', browser: './browser.js', import: './import.js', default: './default.js' } }, ['node.js', 'browser.js', 'import.js', 'default.js']);
    pkg('by-module', { exports: { node: './node.js', module: './module.js', default: './default.js' } }, ['node.js', 'module.js', 'default.js']);
    pkg('by-field', { browser: './browser.js', module: './module.js', main: './main.js' }, ['browser.js', 'module.js', 'main.js']);
    pkg('main-only', { main: './main.js' }, ['main.js']);
    writeFileSync(
      join(dir, 'main.js'),
      "import * as a from 'by-exports';\nimport * as b from 'by-module';\nimport * as c from 'by-field';\nimport * as d from 'main-only';\nconsole.log(a.which, b.which, c.which, d.which);\n",
    );
    expect(moteSync(['build', 'main.js', '-o', 'x.img'], { cwd: dir }).status).toBe(0);
    const r = moteSync(['run', 'x.img'], { cwd: dir });
    expect(r.stdout).toBe('import.js module.js module.js main.js\n');
    expect(r.status).toBe(0);
  });
});
