// A Node without WebAssembly (--jitless, often set through NODE_OPTIONS) has
// no hosted engine: every command that needs it says so in one line, status
// 1, instead of "WebAssembly is not defined".
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, expectNoStack, moteSync, tempDir } from './support.ts';

const dir = tempDir();
const image = join(dir, 'hello.img');
const jitless = { env: { NODE_OPTIONS: '--jitless' } };
const said = /^mote: error: mote needs WebAssembly \(its hosted engine runs, measures and checks images\), and this Node has none \(--jitless turns it off\): run Node without --jitless$/m;

beforeAll(() => {
  buildCli();
  expect(moteSync(['build', 'images/hello', '-o', image]).status).toBe(0);
});

describe('mote on a Node without WebAssembly', () => {
  for (const args of [['run', image], ['inspect', image], ['build', 'images/hello', '-o', join(dir, 'again.img')]]) {
    it(`mote ${args[0]}: one line naming --jitless, status 1`, () => {
      const r = moteSync(args, jitless);
      expectNoStack(r);
      expect(r.stderr).toMatch(said);
      expect(r.stderr).not.toMatch(/is not defined/);
      expect(r.status).toBe(1);
    });
  }

  it('mote --version needs no engine and still works', () => {
    const r = moteSync(['--version'], jitless);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\d+\.\d+\.\d+/);
  });
});
