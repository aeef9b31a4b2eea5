// mote build: images from apps, deterministic bytes, and clear failures that
// leave no image behind.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImage } from '../../builder/image.ts';
import { buildCli, expectNoStack, moteSync, root, tempDir } from './support.ts';

beforeAll(buildCli);

describe('mote build', () => {
  it('builds images/hello into an image that runs', () => {
    const dir = tempDir();
    const out = join(dir, 'hello.img');
    const r = moteSync(['build', 'images/hello', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^built .*hello\.img: \d+ KiB \(1 module, \d+ KiB of code\)\n$/);
    expect(r.status).toBe(0);
    const run = moteSync(['run', out]);
    expect(run.stdout).toBe('hello from mote\n');
    expect(run.status).toBe(0);
  });

  it('is deterministic: two builds, from different working directories, are byte-identical', () => {
    const a = join(tempDir(), 'a.img');
    const b = join(tempDir(), 'b.img');
    expect(moteSync(['build', 'images/lazy', '-o', a]).status).toBe(0);
    expect(moteSync(['build', join(root, 'images/lazy'), '-o', b], { cwd: tempDir() }).status).toBe(0);
    const x = readFileSync(a);
    const y = readFileSync(b);
    expect(x.length).toBeGreaterThan(100_000);
    expect(Buffer.compare(x, y)).toBe(0);
  });

  it('writes each import()ed module separately, with priorities, the declared memory and build info', async () => {
    const out = join(tempDir(), 'lazy.img');
    const r = moteSync(['build', 'images/lazy', '-o', out, '--json']);
    expect(r.status).toBe(0);
    const printed = JSON.parse(r.stdout);
    const img = await readImage(readFileSync(out));
    expect(printed.manifest).toEqual(img.manifest);
    const { manifest } = img;
    expect(manifest.name).toBe('lazy');
    expect(manifest.version).toBe('1.2.3');
    expect(manifest.modules[0]).toMatchObject({ name: 'main.js', priority: 0 });
    const lazy = manifest.modules.find((m) => /report/.test(m.name));
    expect(lazy).toMatchObject({ priority: 1 });
    for (const m of manifest.modules) expect(img.files.get(m.name)?.length).toBe(m.size);
    // The declared needs, and the start need the build measured (builder/start-need.ts).
    expect(manifest.memory).toEqual({ min: 256 << 10, full: 320 << 10, start: expect.any(Number) });
    expect(Object.keys(manifest.build ?? {}).sort()).toEqual(['bootLayer', 'esbuild', 'mote', 'platformAbi']);
    const run = moteSync(['run', out]);
    expect(run.stdout).toBe('entry loaded\nreport: 3 values, min 1, max 3\n');
  });

  it('takes name, version and memory from a "mote" field that gives no entry, and finds main.ts', async () => {
    const app = join(tempDir(), 'pj');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'foo', version: '2.0.0', mote: { memory: { min: '1M' } } }));
    writeFileSync(join(app, 'main.ts'), "console.log('foo');\n");
    const out = join(tempDir(), 'foo.img');
    expect(moteSync(['build', app, '-o', out]).status).toBe(0);
    const { manifest } = await readImage(readFileSync(out));
    expect(manifest).toMatchObject({ name: 'foo', version: '2.0.0', memory: { min: 1 << 20 } });
  });

  it('an output path that is a directory: one line, status 1, the directory untouched', () => {
    const out = tempDir();
    const r = moteSync(['build', 'images/hello', '-o', out]);
    expect(r.stderr).toBe(`mote: error: ${out} is a directory: give a file name to write\n`);
    expect(r.status).toBe(1);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a missing app: one line, status 1, no image', () => {
    const out = join(tempDir(), 'x.img');
    const r = moteSync(['build', 'no/such/app', '-o', out]);
    expect(r.stderr).toBe('mote: error: no such app: no/such/app\n');
    expect(r.status).toBe(1);
    expect(existsSync(out)).toBe(false);
  });

  it('a syntax error: file:line:column, the line with a caret, status 1, no image and no temp file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'main.ts'), 'console.log("fine");\nconst x = ;\n');
    const out = join(dir, 'out.img');
    const r = moteSync(['build', 'main.ts', '-o', 'out.img'], { cwd: dir });
    expect(r.stderr).toBe(['main.ts:2:11: error: Unexpected ";"', '  2 | const x = ;', '                ^', 'mote: error: the build failed with 1 error', ''].join('\n'));
    expect(r.status).toBe(1);
    expectNoStack(r);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual(['main.ts']);
  });

  it('the type check (on by default) reports type errors with their code and fails; with --no-typecheck the same app builds', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'main.ts'), 'const n: number = "seven";\nconsole.log(n);\nsetTimeout(() => {}, 1);\n');
    const r = moteSync(['build', 'main.ts', '-o', 'x.img'], { cwd: dir });
    expect(r.stderr).toMatch(/^main\.ts:1:7: error: Type 'string' is not assignable to type 'number'\. \(TS2322\)\n  1 \| const n/);
    expect(r.stderr).toMatch(/mote: error: type check failed with 1 error\n$/);
    expect(r.status).toBe(1);
    expect(existsSync(join(dir, 'x.img'))).toBe(false);
    expect(moteSync(['build', 'main.ts', '--no-typecheck', '-o', 'x.img'], { cwd: dir }).status).toBe(0);
  });

  it('a package.json memory need that is not a size is an error naming the field', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app/package.json'), JSON.stringify({ name: 'app', mote: { entry: 'main.ts', memory: { min: '12X' } } }));
    writeFileSync(join(dir, 'app/main.ts'), 'console.log(1);\n');
    const r = moteSync(['build', 'app', '-o', 'app.img'], { cwd: dir });
    expect(r.stderr).toMatch(/^mote: error: .*package\.json: "mote\.memory\.min" is not a size: "12X"\n$/);
    expect(r.status).toBe(1);
  });

  it('a "mote" field that is not an object, or a min above full, is an error saying what is meant', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app/main.ts'), 'console.log(1);\n');
    writeFileSync(join(dir, 'app/package.json'), JSON.stringify({ name: 'app', mote: true }));
    const notObject = moteSync(['build', 'app', '-o', 'app.img'], { cwd: dir });
    expect(notObject.stderr).toMatch(/^mote: error: .*package\.json: "mote" must be an object, such as \{"entry": "src\/main\.ts", .*\n$/);
    expect(notObject.status).toBe(1);
    writeFileSync(join(dir, 'app/package.json'), JSON.stringify({ name: 'app', mote: { memory: { min: '8M', full: '4M' } } }));
    const inverted = moteSync(['build', 'app', '-o', 'app.img'], { cwd: dir });
    expect(inverted.stderr).toMatch(/^mote: error: .*package\.json: "mote\.memory\.min" \("8M"\) is more than "mote\.memory\.full" \("4M"\): min is what the app needs to start/);
    expect(inverted.status).toBe(1);
    expect(existsSync(join(dir, 'app.img'))).toBe(false);
  });

  it('"mote.net" gives the manifest a static address; a bad one says what it should be', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app/main.ts'), 'console.log(1);\n');
    const net = { address: '10.0.2.20', gateway: '10.0.2.2' };
    writeFileSync(join(dir, 'app/package.json'), JSON.stringify({ name: 'app', mote: { net } }));
    expect(moteSync(['build', 'app', '-o', 'app.img'], { cwd: dir }).status).toBe(0);
    expect((await readImage(readFileSync(join(dir, 'app.img')))).manifest.net).toEqual(net);
    const bad = (field: unknown) => {
      writeFileSync(join(dir, 'app/package.json'), JSON.stringify({ name: 'app', mote: { net: field } }));
      const r = moteSync(['build', 'app', '-o', 'bad.img'], { cwd: dir });
      expect(r.status).toBe(1);
      expect(existsSync(join(dir, 'bad.img'))).toBe(false);
      return r.stderr;
    };
    expect(bad('dhcp')).toMatch(/"mote\.net" must be an object, such as \{"address": "10\.0\.2\.15"/);
    expect(bad({ address: '10.0.2.300' })).toMatch(/"mote\.net\.address" must be an IPv4 address such as "10\.0\.2\.15", got "10\.0\.2\.300"/);
    expect(bad({ adress: '10.0.2.3' })).toMatch(/"mote\.net\.adress" is not a setting: give address, netmask/);
    expect(bad({ gateway: '10.0.2.2' })).toMatch(/"mote\.net" needs an "address"/);
  });

  it('an output directory that does not exist is an error, not a stack trace', () => {
    const r = moteSync(['build', 'images/hello', '-o', join(tempDir(), 'no/such/dir/x.img')]);
    expect(r.stderr).toMatch(/^mote: error: cannot write .*: no such directory/);
    expect(r.status).toBe(1);
    expectNoStack(r);
  });

  it('-o naming a file that is not an image (the entry itself, a README) is refused before building; an old image is replaced', () => {
    const dir = tempDir();
    const entry = join(dir, 'main.ts');
    writeFileSync(entry, 'console.log("mine");\n');
    const r = moteSync(['build', entry, '-o', entry]);
    expect(r.stderr).toBe(`mote: error: refusing to overwrite ${entry}: it is not an image (choose another -o, or remove it first)\n`);
    expect(r.status).toBe(1);
    expect(readFileSync(entry, 'utf8')).toBe('console.log("mine");\n');
    const img = join(dir, 'main.img');
    expect(moteSync(['build', entry, '-o', img]).status).toBe(0);
    writeFileSync(entry, 'console.log("changed");\n');
    expect(moteSync(['build', entry, '-o', img]).status).toBe(0);
    expect(moteSync(['run', img]).stdout).toBe('changed\n');
  });

  it('-o naming something that is not a regular file (a FIFO) is refused, without blocking on it', () => {
    const fifo = join(tempDir(), 'pipe.img');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = moteSync(['build', 'images/hello', '-o', fifo], { timeoutMs: 30_000 });
    expect(r.stderr).toBe(`mote: error: refusing to overwrite ${fifo}: it is not a regular file\n`);
    expect(r.status).toBe(1);
  });

  it('--boot-layer that is not one: one line naming the file and why, no image', () => {
    const dir = tempDir();
    const notElf = join(dir, 'notes.txt');
    writeFileSync(notElf, 'x\n');
    const out = join(dir, 'x.img');
    const r = moteSync(['build', 'images/hello', '--boot-layer', notElf, '-o', out]);
    expect(r.stderr).toBe(`mote: error: ${notElf} is not a mote boot layer: not a mote image: no ELF header\n`);
    expect(r.status).toBe(1);
    expect(existsSync(out)).toBe(false);
  });
});
