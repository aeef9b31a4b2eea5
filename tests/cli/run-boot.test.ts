// `mote run` (hosted) and `mote boot` (QEMU, for real) print the same output
// and stop with the same status for the same image.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Exit } from '../../kernel/platform.ts';
import { buildCli, mote, moteSync, root, tempDir } from './support.ts';

const dir = tempDir();

beforeAll(() => {
  buildCli();
  writeFileSync(
    join(dir, 'throws.ts'),
    'console.log("before");\nfunction failLater() { throw new TypeError("the app broke"); }\nsetTimeout(failLater, 5);\n',
  );
  // The crash log and console.log of an error name it before its frames, as
  // Node does (QuickJS's stack holds the frames only).
  writeFileSync(
    join(dir, 'crashes.ts'),
    'import { spawn, spawnMonitor, receive } from "mote";\n' +
      'spawn(async () => {\n' +
      '  const { ref } = spawnMonitor(async () => { await null; throw new RangeError("out of range in a process"); });\n' +
      '  await receive({ type: "DOWN", ref });\n' +
      '  console.log("logged:", new RangeError("logged too"));\n' +
      '  console.log("the node runs on");\n' +
      '});\n',
  );
});

function build(app: string, name: string): string {
  const out = join(dir, `${name}.img`);
  const r = moteSync(['build', app, '-o', out]);
  expect(r.stderr).toBe('');
  return out;
}

describe('run and boot agree', () => {
  const apps: Array<{ app: string; name: string; status: number; output: string | RegExp }> = [
    { app: 'images/hello', name: 'hello', status: 0, output: 'hello from mote\n' },
    {
      app: 'images/countdown',
      name: 'countdown',
      status: 3,
      output: 'counting down from 3\nmicrotask before any timer\ntick 3\ntick 2\ntick 1\njob after tick 2, job after tick 1, job after tick 0\nliftoff\n',
    },
    { app: 'images/lazy', name: 'lazy', status: 0, output: 'entry loaded\nreport: 3 values, min 1, max 3\n' },
    { app: join(dir, 'throws.ts'), name: 'throws', status: Exit.Uncaught, output: /^before\nmote: uncaught exception: TypeError: the app broke\n\s+at failLater/ },
    {
      app: join(dir, 'crashes.ts'),
      name: 'crashes',
      status: 0,
      output: /^\[error\] process <0\.\d+\.0> crashed: RangeError: out of range in a process\n\s+at [^]*\nlogged: RangeError: logged too\n\s+at [^]*\nthe node runs on\n$/,
    },
  ];
  for (const a of apps) {
    it(`${a.name}: same output and status ${a.status}`, async () => {
      const image = build(a.app, a.name);
      const [run, boot] = await Promise.all([mote(['run', image, '-m', '8M']), mote(['boot', image, '-m', '8M', '--timeout', '60'])]);
      if (typeof a.output === 'string') expect(run.stdout).toBe(a.output);
      else expect(run.stdout).toMatch(a.output);
      expect(run.status).toBe(a.status);
      expect(boot.status).toBe(a.status);
      // Stack frames carry columns on the hosted engine only: compare the lines before them.
      const head = (s: string) => s.split('\n').filter((l) => !/^\s+at /.test(l)).join('\n');
      expect(head(boot.stdout)).toBe(head(run.stdout));
    });
  }

  it('boot --machine pc: the same output and status as microvm', async () => {
    const image = build('images/countdown', 'countdown-pc');
    const [pc, microvm] = await Promise.all([
      mote(['boot', image, '--machine', 'pc', '--timeout', '60']),
      mote(['boot', image, '--machine', 'microvm', '--timeout', '60']),
    ]);
    expect(pc.stdout).toBe(microvm.stdout);
    expect(pc.stdout).toMatch(/^counting down from 3\n[^]*liftoff\n$/);
    expect([pc.status, microvm.status]).toEqual([3, 3]);
  });

  it('the same timeout status (124) when the program does not stop', async () => {
    const image = join(dir, 'forever.img');
    writeFileSync(join(dir, 'forever.ts'), 'console.log("up");\nsetInterval(() => {}, 1000);\n');
    expect(moteSync(['build', join(dir, 'forever.ts'), '-o', image]).status).toBe(0);
    const [run, boot] = await Promise.all([mote(['run', image, '--timeout', '1']), mote(['boot', image, '--timeout', '3'])]);
    expect(run.stdout).toBe('up\n');
    expect(boot.stdout).toBe('up\n');
    expect(run.status).toBe(Exit.Timeout);
    expect(boot.status).toBe(Exit.Timeout);
    expect(run.stderr).toBe('mote: the run passed --timeout 1s\n');
  });
});

describe('an optional module where memory is short', () => {
  it('is refused with a degraded line on both hosts, and the app runs on with status 0', async () => {
    // A module of ~1,500 objects with closures: it does not fit at the least
    // RAM the app boots at (its start need, builder/start-need.ts).
    const app = join(dir, 'optional');
    mkdirSync(app, { recursive: true });
    const rows = Array.from({ length: 1500 }, (_, i) => `  { id: ${i}, name: 'item${i}', tags: ['a${i}', 'b${i}'], f: (x: number) => x * ${i} + 1 },`);
    writeFileSync(join(app, 'heavy.ts'), `export const table = [\n${rows.join('\n')}\n];\nexport const total = () => table.reduce((n, t) => n + t.f(1), 0);\n`);
    writeFileSync(
      join(app, 'main.ts'),
      "import { loadOptional } from 'mote';\nconsole.log('console up');\n" +
        "void loadOptional('heavy', () => import('./heavy.ts')).then((h) => console.log(h ? `heavy: ${h.total()}` : 'running without heavy'));\n",
    );
    const image = build(app, 'optional');
    const least = `${Math.ceil(JSON.parse(moteSync(['inspect', image, '--json']).stdout).predicted.bootMin / 1024)}K`;
    // mote run's engine (wasm, metal's host core, issue 10) and metal refuse
    // it there, with the same words.
    for (const r of [await mote(['run', image, '-m', least]), await mote(['boot', image, '-m', least, '--accel', 'tcg'])]) {
      expect(r.stdout).toBe('console up\nmote: degraded: heavy not loaded: InternalError: out of memory\nrunning without heavy\n');
      expect(r.status).toBe(0);
    }
    const roomy = await mote(['run', image, '-m', '16M']);
    expect(roomy.stdout).toBe('console up\nheavy: 1125750\n');
  });
});

describe('Ctrl-C', () => {
  it('stops the guest cleanly: QEMU exits, mote says so and returns 130', async () => {
    const image = join(dir, 'forever-int.img');
    writeFileSync(join(dir, 'forever-int.ts'), 'console.log("up");\nsetInterval(() => {}, 1000);\n');
    expect(moteSync(['build', join(dir, 'forever-int.ts'), '-o', image]).status).toBe(0);
    // A terminal sends SIGINT to the whole foreground process group: mote and QEMU.
    const child = spawn(process.execPath, [join(root, 'bin/mote.js'), 'boot', image], { detached: true, stdio: 'pipe' });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      if (out.includes('up\n')) setTimeout(() => process.kill(-child.pid!, 'SIGINT'), 200);
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(out).toBe('up\n');
    expect(err).toBe('mote: interrupted; the guest was stopped\n');
    expect(code).toBe(130);
  });

  for (const [sig, status] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`${sig} to mote alone stops QEMU too: none is left running, status ${status}`, async () => {
      const image = join(dir, 'forever-sig.img');
      if (!existsSync(image)) {
        writeFileSync(join(dir, 'forever-sig.ts'), 'console.log("up");\nsetInterval(() => {}, 1000);\n');
        expect(moteSync(['build', join(dir, 'forever-sig.ts'), '-o', image]).status).toBe(0);
      }
      const child = spawn(process.execPath, [join(root, 'bin/mote.js'), 'boot', image], { detached: true, stdio: 'pipe' });
      let out = '';
      let err = '';
      let qemu = 0;
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        out += s;
        if (!out.includes('up\n') || qemu) return;
        qemu = Number(spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).stdout.trim());
        process.kill(child.pid!, sig); // mote's pid only, not its group
      });
      child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
      const code = await new Promise<number | null>((r) => child.on('close', r));
      clearTimeout(timer);
      expect(qemu).toBeGreaterThan(0);
      expect(err).toBe(sig === 'SIGINT' ? 'mote: interrupted; the guest was stopped\n' : `mote: stopped by ${sig}; the guest was stopped\n`);
      expect(code).toBe(status);
      expect(() => process.kill(qemu, 0)).toThrow(/ESRCH/);
    });
  }

  it('a second signal kills a QEMU that ignores the first, and mote exits', async () => {
    const fake = join(dir, 'stubborn-qemu.sh');
    writeFileSync(fake, '#!/bin/sh\n[ "$1" = --version ] && { echo fake; exit 0; }\ntrap "" TERM INT HUP\necho up\nwhile :; do sleep 0.1; done\n', { mode: 0o755 });
    const child = spawn(process.execPath, [join(root, 'bin/mote.js'), 'boot', build('images/hello', 'hello-stubborn'), '--accel', 'tcg'], {
      detached: true,
      stdio: 'pipe',
      env: { ...process.env, MOTE_QEMU: fake },
    });
    let qemu = 0;
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      if (!s.includes('up') || qemu) return;
      qemu = Number(spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).stdout.trim().split('\n')[0]);
      process.kill(child.pid!, 'SIGTERM');
      setTimeout(() => process.kill(child.pid!, 'SIGTERM'), 500);
    });
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
    const code = await new Promise<number | null>((r) => child.on('close', r));
    clearTimeout(timer);
    expect(qemu).toBeGreaterThan(0);
    expect(code).toBe(143);
    await new Promise((r) => setTimeout(r, 100));
    expect(() => process.kill(qemu, 0)).toThrow(/ESRCH/);
  });

  it('budget told to stop by SIGTERM stops its QEMU and ends with 143 and a line saying so', async () => {
    const image = join(dir, 'forever-sig.img');
    if (!existsSync(image)) {
      writeFileSync(join(dir, 'forever-sig.ts'), 'console.log("up");\nsetInterval(() => {}, 1000);\n');
      expect(moteSync(['build', join(dir, 'forever-sig.ts'), '-o', image]).status).toBe(0);
    }
    const child = spawn(process.execPath, [join(root, 'bin/mote.js'), 'budget', image, '--sizes', '8M,12M', '--host', 'qemu'], { detached: true, stdio: 'pipe' });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    let qemu = 0;
    const poll = setInterval(() => {
      // The booting QEMU, not the `qemu --version` probe before it (a signal
      // then, on a busy machine, came before the runs began).
      qemu = Number(spawnSync('pgrep', ['-P', String(child.pid), '-f', 'qemu.*-kernel'], { encoding: 'utf8' }).stdout.trim().split('\n')[0]);
      if (qemu) {
        clearInterval(poll);
        setTimeout(() => process.kill(child.pid!, 'SIGTERM'), 300); // mote's pid only
      }
    }, 50);
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 30_000);
    const code = await new Promise<number | null>((r) => child.on('close', r));
    clearTimeout(timer);
    clearInterval(poll);
    expect(err).toMatch(/mote: error: budget stopped by SIGTERM; its QEMU was stopped\n$/);
    expect(code).toBe(143);
    expect(() => process.kill(qemu, 0)).toThrow(/ESRCH/);
  });

  it('QEMU flags that mote sets itself are refused in --qemu-arg, before QEMU starts', () => {
    const r = moteSync(['boot', build('images/hello', 'hello-own-flags'), '--qemu-arg', '-m', '--qemu-arg', '1M']);
    expect(r.stderr).toBe("mote: error: --qemu-arg -m: mote sets it itself; use mote's -m, which checks the image fits\n");
    expect(r.status).toBe(2);
    const append = moteSync(['boot', build('images/hello', 'hello-own-flags'), '--qemu-arg=-append', '--qemu-arg=x']);
    expect(append.stderr).toMatch(/^mote: error: --qemu-arg -append: mote sets it itself; the app's arguments and environment are the command line/);
    expect(append.status).toBe(2);
  });
});

describe('on a terminal', () => {
  // script(1) is util-linux's (Debian's essential bsdutils): always there.
  let echo = '';
  const echoImage = () => {
    if (echo) return echo;
    const src = join(dir, 'echo.ts');
    writeFileSync(
      src,
      `import { spawn, stdin, stdout } from 'mote';
       spawn(async () => {
         let line = '';
         stdout.write('> ');
         for (let t = await stdin.read(); t !== null; t = await stdin.read()) {
           for (const ch of t) { if (ch === '\\r') { stdout.write('\\r\\nyou typed: ' + line + '\\r\\n> '); line = ''; } else { line += ch; stdout.write(ch); } }
         }
       });`,
    );
    const image = join(dir, 'echo.img');
    expect(moteSync(['build', src, '-o', image]).status).toBe(0);
    return (echo = image);
  };
  const stopped = { run: 'the run was stopped', boot: 'the guest was stopped' };
  for (const command of ['run', 'boot'] as const) {
    it(`mote ${command} passes keys raw, as the serial console does, and Ctrl-C stops it with 130 (util-linux script as the terminal)`, async () => {
      const image = echoImage();
      // `exec`, so Ctrl-C reaches mote (and its QEMU) and no shell: a
      // non-interactive dash (CI's $SHELL may be unset) would die of it. -e: script(1)
      // exits with mote's status.
      const child = spawn('script', ['-qec', `exec ${process.execPath} ${join(root, 'bin/mote.js')} ${command} ${image}`, '/dev/null'], { stdio: 'pipe' });
      // Listen from the start: script(1) may leave as soon as mote does.
      const closed = new Promise<number | null>((r) => child.on('close', r));
      let out = '';
      let err = '';
      const waitFor = (text: string) =>
        new Promise<void>((resolve, reject) => {
          const deadline = Date.now() + 20_000;
          const check = () => {
            if (out.includes(text)) resolve();
            else if (Date.now() > deadline) reject(new Error(`no ${JSON.stringify(text)} on the terminal; it showed ${JSON.stringify(out)}, script(1) said ${JSON.stringify(err)}`));
            else setTimeout(check, 20);
          };
          check();
        });
      child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
      child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
      try {
        await waitFor('> ');
        await new Promise((r) => setTimeout(r, 200)); // raw mode is set before the prompt shows
        child.stdin.write('hi\r');
        await waitFor('you typed: hi');
        child.stdin.write('\x03');
        await waitFor('interrupted');
      } catch (e) {
        child.kill('SIGKILL'); // leave no script(1), mote or QEMU behind
        throw e;
      } finally {
        child.stdin.end(); // some script(1) versions wait for the end of their input
      }
      const code = await closed;
      // Raw mode: no local echo, so "hi" shows once (from the app), and Enter
      // arrives as \r. (The terminal adds its own \r before each \n.)
      expect(out.replace(/\r+\n/g, '\n')).toBe(`> hi\nyou typed: hi\n> mote: interrupted; ${stopped[command]}\n`);
      expect(code).toBe(130);
    });
  }
});

describe('RAM below the image itself', () => {
  it('run and boot refuse alike: the same line on the console, status 107', async () => {
    const image = build('images/hello', 'hello-1m');
    const run = await mote(['run', image, '-m', '1M']);
    const boot = await mote(['boot', image, '-m', '1M']);
    expect(run.stdout).toMatch(/^mote: refusing to boot: the image needs \d+ KiB of RAM to load \(itself and a page above it\), 1024 KiB given\n$/);
    expect(boot.stdout).toBe(run.stdout);
    expect([run.stderr, boot.stderr]).toEqual(['', '']);
    expect([run.status, boot.status]).toEqual([Exit.TooLittleMemory, Exit.TooLittleMemory]);
  });
});

describe("guest RAM past this machine's", () => {
  it('boot and budget refuse it as usage, naming the machine\'s RAM, before QEMU starts', () => {
    const image = build('images/hello', 'hello-huge');
    const huge = `${Math.ceil((totalmem() * 2) / 1024)}K`;
    const boot = moteSync(['boot', image, '-m', huge]);
    expect(boot.stderr).toMatch(/^mote: error: -m \S+: more than this machine's RAM \([\d.]+ GiB\)\n$/);
    expect(boot.status).toBe(2);
    const budget = moteSync(['budget', image, '--sizes', `8M,${huge}`]);
    expect(budget.stderr).toMatch(/^mote: error: --sizes \S+: more than this machine's RAM \([\d.]+ GiB\)\n$/);
    expect(budget.status).toBe(2);
  });
});

describe('hosted RAM past what the engine can address', () => {
  it('run -m 3G and budget --sizes 3G on the hosted engine are usage errors naming the limit, before any run', () => {
    const image = build('images/hello', 'hello-3g');
    const run = moteSync(['run', image, '-m', '3G']);
    expect(run.stderr).toBe('mote: error: -m 3G: the hosted engine addresses at most 2032M of RAM; boot the image in QEMU for more\n');
    expect(run.status).toBe(2);
    const budget = moteSync(['budget', image, '--sizes', '8M,3G', '--host', 'hosted']);
    expect(budget.stderr).toBe('mote: error: --sizes 3G with --host hosted: the hosted engine addresses at most 2032M of RAM; boot the image in QEMU for more\n');
    expect(budget.status).toBe(2);
  });
});

describe('boot failures', () => {
  it('a missing QEMU: one line saying what to install, status 1', async () => {
    const r = await mote(['boot', build('images/hello', 'hello-noqemu')], { env: { MOTE_QEMU: '/nonexistent/qemu-system-x86_64' } });
    expect(r.stderr).toBe('mote: error: /nonexistent/qemu-system-x86_64 not found: install it (Debian: apt-get install qemu-system-x86) or set MOTE_QEMU\n');
    expect(r.status).toBe(1);
  });

  it('--accel kvm where KVM cannot run the guest: one line saying to use tcg, status 1', async () => {
    const { kvmWorks } = await import('../../builder/qemu.ts');
    const r = await mote(['boot', build('images/hello', 'hello-kvm'), '--accel', 'kvm', '--timeout', '30']);
    if (await kvmWorks()) {
      expect(r.stdout).toBe('hello from mote\n');
      expect(r.status).toBe(0);
    } else {
      expect(r.stderr).toMatch(/^mote: error: (KVM could not run the guest here \(a nested \/dev\/kvm cannot\): use --accel tcg|--accel kvm: \/dev\/kvm is missing or not accessible; use --accel tcg)/);
      expect(r.status).toBe(1);
    }
  });

  it('a QEMU that fails to start (a bad extra argument): its complaint in one line, status 1', async () => {
    const r = await mote(['boot', build('images/hello', 'hello-badarg'), '--qemu-arg', '-no-such-qemu-flag']);
    expect(r.stderr).toBe('mote: error: qemu-system-x86_64 failed: qemu-system-x86_64: -no-such-qemu-flag: invalid option\n');
    expect(r.status).toBe(1);
  });

  it('a QEMU that fails with exit 1, whatever it prints, is a failure and never status 0', async () => {
    const image = build('images/hello', 'hello-false');
    const quiet = await mote(['boot', image], { env: { MOTE_QEMU: '/bin/false' } });
    expect(quiet.stderr).toBe('mote: error: /bin/false failed: it exited with 1 and said nothing\n');
    expect(quiet.status).toBe(1);
    const fake = join(dir, 'fake-qemu.sh');
    writeFileSync(fake, '#!/bin/sh\necho "qemu: could not load kernel" >&2\nexit 1\n', { mode: 0o755 });
    const said = await mote(['boot', image], { env: { MOTE_QEMU: fake } });
    expect(said.stderr).toBe(`mote: error: ${fake} failed: qemu: could not load kernel\n`);
    expect(said.status).toBe(1);
  });
});
