// What `mote run` and `mote boot` hand the app, on both hosts alike:
// arguments after --, --env and package.json's "mote.env", --log-level, and
// console input (a pipe's end included). QEMU runs for real, at -m 8M.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { QEMU } from '../../builder/qemu.ts';
import { buildCli, mote, moteSync, tempDir } from './support.ts';

const dir = tempDir();
const hosts = ['run', 'boot'] as const;
const flags = { run: ['-m', '8M'], boot: ['-m', '8M', '--accel', 'tcg', '--net', 'none'] };

function build(app: string, name: string): string {
  const out = join(dir, `${name}.img`);
  const r = moteSync(['build', app, '-o', out]);
  expect(r.stderr).toBe('');
  return out;
}

let argsImage = '';

beforeAll(() => {
  buildCli();
  const app = join(dir, 'args-app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'args-app', version: '1.0.0', mote: { entry: 'main.ts', env: { MODE: 'slow', LEVEL: '3' } } }));
  writeFileSync(join(app, 'main.ts'), `import { args, env, getenv } from 'mote';\nconsole.log(JSON.stringify({ args: args(), env: env(), mode: getenv('MODE') }));\n`);
  argsImage = build(app, 'args');
});

describe('arguments and environment', () => {
  for (const host of hosts) {
    it(`mote ${host} IMAGE --env K=V -- args: the app reads them, over package.json's defaults`, async () => {
      const r = await mote([host, argsImage, ...flags[host], '--env', 'MODE=fast', '-e', 'X=a "b" c', '--', 'one', 'two words', '--three', '']);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({ args: ['one', 'two words', '--three', ''], env: { MODE: 'fast', LEVEL: '3', X: 'a "b" c' }, mode: 'fast' });
      expect(r.status).toBe(0);
    });
  }

  it('a raw QEMU boot reads the same from -append', () => {
    const r = spawnSync(QEMU, ['-M', 'microvm', '-accel', 'tcg', '-m', '8M', '-nodefaults', '-no-user-config', '-display', 'none', '-serial', 'stdio', '-no-reboot', '-kernel', argsImage, '-append', 'MODE=raw -- "a b" c\\ d'], { encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(r.stdout)).toEqual({ args: ['a b', 'c d'], env: { MODE: 'raw', LEVEL: '3' }, mode: 'raw' });
  });

  it('a bad --env is a usage error, on both commands', () => {
    for (const host of hosts) {
      const r = moteSync([host, argsImage, '--env', 'NOPE']);
      expect(r.stderr).toMatch(/^mote: error: option '-e, --env <name=value>' argument 'NOPE' is invalid\. give NAME=value/);
      expect(r.status).toBe(2);
    }
  });
});

describe('console input', () => {
  let linesImage = '';
  beforeAll(() => {
    const src = join(dir, 'lines.ts');
    writeFileSync(
      src,
      `import { spawn, stdin } from 'mote';
spawn(async () => {
  for (;;) {
    const line = await stdin.readLine();
    if (line === null) break;
    console.log('got ' + JSON.stringify(line));
  }
  console.log('end of input');
});
`,
    );
    linesImage = build(src, 'lines');
  });

  for (const host of hosts) {
    it(`mote ${host}: piped lines reach stdin.readLine, then its end (null), and the node stops`, async () => {
      const r = await mote([host, linesImage, ...flags[host]], { input: 'one\r\ntwo words\nlast without newline' });
      expect(r.stdout).toBe('got "one"\ngot "two words"\ngot "last without newline"\nend of input\n');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }

  it('mote boot on pc as on microvm (COM1 through the first IOAPIC; the command line through its PVH loader)', async () => {
    const r = await mote(['boot', linesImage, ...flags.boot, '--machine', 'pc'], { input: 'x\n' });
    expect(r.stdout).toBe('got "x"\nend of input\n');
    expect(r.status).toBe(0);
    const a = await mote(['boot', argsImage, ...flags.boot, '--machine', 'pc', '-e', 'MODE=pc', '--', 'a b']);
    expect(JSON.parse(a.stdout)).toEqual({ args: ['a b'], env: { MODE: 'pc', LEVEL: '3' }, mode: 'pc' });
  });
});

describe('log level', () => {
  let logs = '';
  beforeAll(() => {
    const src = join(dir, 'logs.ts');
    writeFileSync(src, `import { logger } from 'mote';\nlogger.debug('debug line');\nlogger.info('info line');\nlogger.notice('notice line');\n`);
    logs = build(src, 'logs');
  });

  for (const host of hosts) {
    it(`mote ${host}: notice by default; --log-level and MOTE_LOG_LEVEL choose; a bad value warns once`, async () => {
      const plain = await mote([host, logs, ...flags[host]]);
      expect(plain.stdout).toBe('[notice] notice line\n');
      const info = await mote([host, logs, ...flags[host], '--log-level', 'info']);
      expect(info.stdout).toBe('[info] info line\n[notice] notice line\n');
      const all = await mote([host, logs, ...flags[host], '--env', 'MOTE_LOG_LEVEL=debug']);
      expect(all.stdout).toBe('[debug] debug line\n[info] info line\n[notice] notice line\n');
      const bad = await mote([host, logs, ...flags[host], '--env', 'MOTE_LOG_LEVEL=loud']);
      expect(bad.stdout).toBe('[warning] MOTE_LOG_LEVEL=loud is not a level (one of emergency, alert, critical, error, warning, notice, info, debug, all, none): notice it is\n[notice] notice line\n');
      expect(bad.status).toBe(0);
    });
  }

  it('--log-level takes only a level', () => {
    const r = moteSync(['run', logs, '--log-level', 'loud']);
    expect(r.stderr).toMatch(/^mote: error: option '--log-level <level>' argument 'loud' is invalid\. Allowed choices are emergency, alert, critical, error, warning, notice, info, debug, all, none\./);
    expect(r.status).toBe(2);
  });
});

describe('package.json "mote.console"', () => {
  it('takes "raw" or "signals" only, and the manifest carries "raw"', () => {
    const app = join(dir, 'console-app');
    mkdirSync(app);
    writeFileSync(join(app, 'main.ts'), 'console.log(1);\n');
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'c', version: '1.0.0', mote: { entry: 'main.ts', console: 'loud' } }));
    const bad = moteSync(['build', app, '-o', join(dir, 'c.img')]);
    expect(bad.stderr).toMatch(/"mote\.console" must be "raw" to give the app every key, Ctrl-C included .*, got "loud"\n$/);
    expect(bad.status).toBe(1);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'c', version: '1.0.0', mote: { entry: 'main.ts', console: 'raw' } }));
    expect(moteSync(['build', app, '-o', join(dir, 'c.img')]).status).toBe(0);
    const out = join(dir, 'c-payload');
    expect(moteSync(['inspect', join(dir, 'c.img'), '--extract', out]).status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).console).toBe('raw');
  });
});

describe('what used to follow -- on boot', () => {
  it('a QEMU flag after -- goes to the app, with a note naming --qemu-arg', async () => {
    const r = await mote(['boot', argsImage, ...flags.boot, '--', '-d', 'guest_errors']);
    expect(r.stderr).toBe("mote: note: -d guest_errors after -- goes to the app as an argument; QEMU's own flags go with --qemu-arg now (--qemu-arg -d --qemu-arg guest_errors)\n");
    expect(JSON.parse(r.stdout).args).toEqual(['-d', 'guest_errors']);
    expect(r.status).toBe(0);
    const plain = await mote(['boot', argsImage, ...flags.boot, '--', '-d', 'data.txt', '-v']);
    expect(plain.stderr).toBe(''); // an app's own -d: no note
  });
});
