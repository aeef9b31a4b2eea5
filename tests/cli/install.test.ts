// `mote` on PATH, the README's way: a global install from the checkout
// (npm install -g, here into a temp prefix), then the command works from
// anywhere: outside the checkout, with nothing else on PATH but node.
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, root, tempDir } from './support.ts';

beforeAll(buildCli);

describe('a global install from the checkout', () => {
  it('puts mote on PATH; mote new, build and run work outside the checkout', () => {
    const prefix = tempDir();
    const npm = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', root], { encoding: 'utf8', timeout: 120_000 });
    expect(npm.status, npm.stderr).toBe(0);
    // A link to this checkout, not a copy: it follows the checkout as it changes.
    expect(realpathSync(join(prefix, 'lib/node_modules/mote'))).toBe(realpathSync(root));
    const env = { ...process.env, PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin` };
    const work = tempDir();
    const sh = (cmd: string, cwd = work) => spawnSync('sh', ['-c', cmd], { cwd, env, encoding: 'utf8', timeout: 120_000 });
    const version = sh('mote --version');
    expect(version.stdout).toBe(`${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`);
    expect(sh('command -v mote').stdout).toBe(`${join(prefix, 'bin/mote')}\n`);
    expect(sh('mote new hello').status).toBe(0);
    const build = sh('mote build -o hello.img', join(work, 'hello'));
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    const run = sh('mote run hello.img', join(work, 'hello'));
    expect(run.stdout).toBe('hello: the counter says 3\n');
    expect(run.status).toBe(0);
  });
});
