// mote new (a scaffold that builds, type-checks, runs and passes its own
// test) and the CLI's help and usage errors.
import { readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, moteSync, root, tempDir } from './support.ts';

beforeAll(buildCli);

describe('mote new', () => {
  it('scaffolds an app with a supervisor, a gen_server, a test and a README', () => {
    const dir = join(tempDir(), 'Counter App');
    const r = moteSync(['new', dir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('npm install && npm run build');
    const files = ['.gitignore', 'README.md', 'package.json', 'src/counter.ts', 'src/main.ts', 'src/sup.ts', 'test/counter.test.ts', 'tsconfig.json'];
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text.length).toBeGreaterThan(0);
      expect(text, `${f} still holds a template placeholder`).not.toMatch(/NAME|\\`/);
    }
    expect(readFileSync(join(dir, 'src/sup.ts'), 'utf8')).toContain("name: 'counter-app_sup'");
    expect(readFileSync(join(dir, 'src/sup.ts'), 'utf8')).toContain('Supervisor.startLink');
    expect(readFileSync(join(dir, 'src/counter.ts'), 'utf8')).toContain('GenServer.startLink');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name).toBe('counter-app');
    // Ready to commit: neither images, the source maps mote build writes beside them, nor installed packages are tracked.
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['node_modules/', '*.img', '*.img.map']));
    // The build script is mote build, which type-checks (tests/cli/types.test.ts runs plain tsc on a scaffold).
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts.build).toBe('mote build . -o counter-app.img');
    expect(JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).compilerOptions.types).toEqual([]);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/npm install[\s\S]*npx mote build \. -o counter-app\.img[\s\S]*npx mote run[\s\S]*npx mote boot/);
  });

  it('the scaffold type-checks, builds and runs, and its own test passes inside an image', () => {
    const dir = join(tempDir(), 'counter');
    expect(moteSync(['new', dir]).status).toBe(0);
    const build = moteSync(['build', '.', '-o', 'counter.img'], { cwd: dir });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    const run = moteSync(['run', 'counter.img'], { cwd: dir });
    expect(run.stdout).toBe('counter: the counter says 3\n');
    expect(run.status).toBe(0);
    expect(moteSync(['build', 'test/counter.test.ts', '-o', 'test.img'], { cwd: dir }).status).toBe(0);
    const test = moteSync(['run', 'test.img'], { cwd: dir });
    expect(test.stdout).toBe('ok - the counter starts\nok - it holds its starting value\nok - casts are handled before a later call\n');
    expect(test.status).toBe(0);
  });

  it("its README's way works with nothing on PATH: npm install links mote, then npm test and npx mote run", () => {
    const dir = join(tempDir(), "Bob's app");
    const created = moteSync(['new', dir]);
    expect(created.stdout).toBe(`created ${dir}: next, cd '${dir.replaceAll("'", "'\\''")}' && npm install && npm run build && npm start\n`);
    const env = { ...process.env, PATH: dirname(process.execPath) + ':/usr/bin:/bin' }; // no mote here
    const npm = (...args: string[]) => spawnSync('npm', args, { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
    expect(npm('install', '--offline', '--no-audit', '--no-fund').status).toBe(0);
    const test = npm('test');
    expect(test.stdout).toContain('ok - casts are handled before a later call\n');
    expect(test.status).toBe(0);
    expect(npm('run', 'build').status).toBe(0);
    const run = spawnSync('npx', ['mote', 'run', 'bob-s-app.img'], { cwd: dir, env, encoding: 'utf8' });
    expect(run.stdout).toBe("bob-s-app: the counter says 3\n");
    expect(run.status).toBe(0);
  });

  it('links mote by the real path when the app\'s path goes through a symlink', () => {
    const base = tempDir();
    mkdirSync(join(base, 'deep/a/b'), { recursive: true });
    symlinkSync(join(base, 'deep/a/b'), join(base, 'short'));
    const app = join(base, 'short/app');
    expect(moteSync(['new', app]).status).toBe(0);
    const link = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).devDependencies.mote as string;
    expect(link).toMatch(/^file:/);
    // npm resolves it from the app's real directory.
    expect(realpathSync(join(realpathSync(app), link.slice('file:'.length)))).toBe(realpathSync(root));
  });

  it('refuses a path that is a file, and leaves it alone', () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'x');
    const r = moteSync(['new', file]);
    expect(r.stderr).toBe(`mote: error: ${file} exists and is not a directory\n`);
    expect(r.status).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('refuses a directory that is not empty, and writes nothing into it', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app/keep.txt'), 'mine');
    const r = moteSync(['new', join(dir, 'app')]);
    expect(r.stderr).toBe(`mote: error: ${join(dir, 'app')} exists and is not empty\n`);
    expect(r.status).toBe(1);
    expect(readdirSync(join(dir, 'app'))).toEqual(['keep.txt']);
  });

  it('a place no directory can be made fails at once with the reason (Node\'s own mkdir -p spins forever under /proc)', () => {
    const r = moteSync(['new', '/proc/mote-no-such-dir/app'], { timeoutMs: 10_000 });
    expect(r.stderr).toBe("mote: error: cannot create the directory /proc/mote-no-such-dir: no such file or directory\n");
    expect(r.status).toBe(1);
  });
});

describe('help and usage', () => {
  it('a bare mote prints the same help on stdout, status 0', () => {
    const bare = moteSync([]);
    expect(bare.stdout).toBe(moteSync(['--help']).stdout);
    expect(bare.stderr).toBe('');
    expect(bare.status).toBe(0);
  });

  it('--help lists every command, examples and the exit statuses', () => {
    const r = moteSync(['--help']);
    expect(r.status).toBe(0);
    for (const cmd of ['build', 'inspect', 'boot', 'run', 'budget', 'new']) expect(r.stdout).toMatch(new RegExp(`^  ${cmd} `, 'm'));
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('Exit status:');
  });

  it.each(['build', 'inspect', 'boot', 'run', 'budget', 'new'])('%s --help has examples', (cmd) => {
    const r = moteSync([cmd, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n  \$ mote /);
    // Each option says its default once (commander adds "(default: x)" to a described one).
    expect(r.stdout.replace(/\s+/g, ' ')).not.toMatch(/default:? [^)]*\) \(default/);
  });

  it('an unknown command or flag, or a missing argument, is a usage error: status 2', () => {
    for (const args of [['frobnicate'], ['build', '--no-such-flag'], ['run'], ['boot', 'x.img', '--accel', 'warp']]) {
      const r = moteSync(args);
      expect(r.stderr).toMatch(/^mote: error: /);
      expect(r.stdout).toBe('');
      expect(r.status).toBe(2);
    }
  });

  it('--version prints the package version', () => {
    const r = moteSync(['--version']);
    expect(r.stdout).toBe(`${JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')).version}\n`);
    expect(r.status).toBe(0);
  });
});
