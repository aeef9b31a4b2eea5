// mote inspect (memory map, predictions, --extract) and mote budget (runs at
// several sizes on QEMU and hosted), and that the two agree.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImage } from '../../builder/image.ts';
import { formatSize } from '../../builder/size.ts';
import { Exit } from '../../kernel/platform.ts';
import { buildCli, expectNoStack, mote, moteSync, tempDir } from './support.ts';

const dir = tempDir();
const hello = join(dir, 'hello.img');
const K = 1024;

beforeAll(() => {
  buildCli();
  expect(moteSync(['build', 'images/hello', '-o', hello]).status).toBe(0);
});

describe('mote inspect', () => {
  it('prints the memory map, the module and the predicted RAM', () => {
    const r = moteSync(['inspect', hello]);
    expect(r.status).toBe(0);
    for (const area of ['boot layer code and read-only data', 'C stack', 'QuickJS baseline heap', 'module main.js (priority 0)', 'firmware holes']) {
      expect(r.stdout).toContain(area);
    }
    expect(r.stdout).toMatch(/predicted RAM \(-m\)\n  refused below +\S+\n  boots to a console +\S+\n  runs fully +\S+\n  \(from the start need; .*\n   declare it in package\.json, "mote": \{"memory": \{"min": "1M", "full": "4M"\}\}, for exact figures\)\n$/);
  });

  it('--json gives the same figures as data, consistent with the manifest', async () => {
    const report = JSON.parse(moteSync(['inspect', hello, '--json']).stdout);
    const img = await readImage(readFileSync(hello));
    expect(report.modules.map((m: { name: string; size: number }) => [m.name, m.size])).toEqual(img.manifest.modules.map((m) => [m.name, m.size]));
    expect(report.modules[0].heapCost).toBeGreaterThan(report.modules[0].size);
    expect(report.baselineHeap).toBeGreaterThan(50 * K);
    const { refusedBelow, bootMin, fullMin } = report.predicted;
    expect(refusedBelow).toBeGreaterThan(img.manifest.boot!.payloadAddress);
    expect(bootMin).toBeGreaterThanOrEqual(refusedBelow);
    expect(fullMin).toBeGreaterThanOrEqual(bootMin);
    expect(fullMin).toBeLessThan(4 << 20);
  });

  it('measures every module of a split build, each on its own', () => {
    const image = join(dir, 'lazy.img');
    expect(moteSync(['build', 'images/lazy', '-o', image]).status).toBe(0);
    const report = JSON.parse(moteSync(['inspect', image, '--json']).stdout);
    expect(report.modules.length).toBe(4); // main, the shared chunk, report, the kernel's ordered_set tree (kernel/ets_btree.ts)
    for (const m of report.modules) {
      expect(m.error).toBeUndefined();
      expect(m.heapCost).toBeGreaterThan(m.size);
    }
    expect(report.declared).toEqual({ min: 256 * K, full: 320 * K });
  });

  it('--extract writes the payload out, byte for byte', async () => {
    const out = join(dir, 'extracted');
    const r = moteSync(['inspect', hello, '--extract', out]);
    expect(r.stdout).toBe(`extracted 4 files to ${out}\n`); // manifest.json and its .qbc, main.js, main.js.qbc
    const img = await readImage(readFileSync(hello));
    for (const [name, bytes] of img.files) expect(Buffer.compare(readFileSync(join(out, name)), Buffer.from(bytes))).toBe(0);
  });

  it('--extract refuses a directory that is not empty, or a file, and writes nothing; --json lists the files', () => {
    const full = join(dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'manifest.json'), 'mine');
    const r = moteSync(['inspect', hello, '--extract', full]);
    expect(r.stderr).toBe(`mote: error: cannot extract into ${full}: it is not empty (nothing was written)\n`);
    expect(r.status).toBe(1);
    expect(readFileSync(join(full, 'manifest.json'), 'utf8')).toBe('mine');
    const file = join(full, 'manifest.json');
    expect(moteSync(['inspect', hello, '--extract', file]).stderr).toBe(`mote: error: cannot extract into ${file}: it exists and is not a directory\n`);
    const json = moteSync(['inspect', hello, '--extract', join(dir, 'as-json'), '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ extracted: join(dir, 'as-json'), files: ['manifest.json', 'manifest.json.qbc', 'main.js', 'main.js.qbc'] });
  });

  it('--extract where no directory can be made fails at once with the reason', () => {
    const r = moteSync(['inspect', hello, '--extract', '/proc/mote-no-such-dir'], { timeoutMs: 10_000 });
    expect(r.stderr).toBe("mote: error: cannot create the directory /proc/mote-no-such-dir: no such file or directory\n");
    expect(r.status).toBe(1);
  });
});

describe('mote budget', () => {
  it("agrees with inspect's prediction on both hosts, and says so", async () => {
    const { predicted } = JSON.parse(moteSync(['inspect', hello, '--json']).stdout);
    const below = Math.floor((predicted.refusedBelow - 64 * K) / K);
    const at = Math.ceil(predicted.bootMin / K);
    const sizes = `${below}K,${at}K,8M`;
    const r = await mote(['budget', hello, '--sizes', sizes, '--host', 'both', '--json']);
    expectNoStack(r);
    const result = JSON.parse(r.stdout);
    expect(result.runs.map((x: { host: string; ram: number; outcome: string }) => `${x.host} ${x.ram / K}K ${x.outcome}`)).toEqual([
      `qemu ${below}K refused`,
      `hosted ${below}K refused`,
      `qemu ${at}K full`,
      `hosted ${at}K full`,
      'qemu 8192K full',
      'hosted 8192K full',
    ]);
    for (const run of result.runs) expect(run.outcome).toBe(run.expected);
    expect(result.crashed).toBe(0);
    expect(result.disagreements).toBe(0);
    expect(r.status).toBe(0);
  });

  it('prints a table and a progress line per run', async () => {
    const r = await mote(['budget', hello, '--sizes', '1M,8M', '--host', 'hosted']);
    expect(r.stdout).toMatch(/^RAM +host +outcome +predicted +status +ms +detail\n1M +hosted +refused +refused +107 .*refusing to boot.*\n8M +hosted +full +full +0 +\d+\nevery run matches the prediction\n$/);
    expect(r.stderr).toBe('budget: run 1/2: hosted at 1M\nbudget: run 2/2: hosted at 8M\n');
    expect(r.status).toBe(0);
  });

  it('the ladder: declared needs give refused, degraded and full on both hosts, where inspect says', async () => {
    // The app declares 1 MiB of heap to start and 2 MiB to run fully; the
    // hosts enforce both, so the outcomes flip exactly at the predicted RAM.
    const app = join(dir, 'ladder');
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'ladder', mote: { entry: 'main.ts', memory: { min: '1M', full: '2M' } } }));
    writeFileSync(join(app, 'main.ts'), 'console.log("up");\n');
    const image = join(dir, 'ladder.img');
    expect(moteSync(['build', app, '-o', image]).status).toBe(0);
    const { predicted } = JSON.parse(moteSync(['inspect', image, '--json']).stdout);
    expect(predicted.fullMin - predicted.bootMin).toBe(1 << 20);
    expect(moteSync(['inspect', image]).stdout).toMatch(/declared needs: min 1M, full 2M\nmeasured start need: \S+ of heap \(mote build; every host refuses below it\)\n\npredicted RAM \(-m\)\n.*\n.*\n  runs fully +\S+\n$/);
    // Every refusal lies below bootMin, and the text says so.
    const refusedLine = moteSync(['inspect', image]).stdout.split('\n').find((l) => l.startsWith('  refused below'))!;
    expect(refusedLine).toBe(`  refused below        ${formatSize(predicted.bootMin)}  (the boot layer alone would start at ${formatSize(predicted.refusedBelow)}; the app's needs raise it)`);
    const sizes = [predicted.bootMin - 4 * K, predicted.bootMin + 4 * K, predicted.fullMin - 4 * K, predicted.fullMin + 4 * K].map((n) => `${Math.round(n / K)}K`);
    const r = await mote(['budget', image, '--sizes', sizes.join(','), '--host', 'both', '--json']);
    expectNoStack(r);
    const result = JSON.parse(r.stdout);
    expect(result.runs.map((x: { host: string; outcome: string }) => `${x.host} ${x.outcome}`)).toEqual([
      'qemu refused', 'hosted refused', 'qemu degraded', 'hosted degraded', 'qemu degraded', 'hosted degraded', 'qemu full', 'hosted full',
    ]);
    expect(result.runs[0].detail).toMatch(/^mote: refusing to boot: the app needs 1024 KiB of heap to start \(mote\.memory\.min\)/);
    expect(result.runs[2].detail).toMatch(/^mote: degraded: the app asks for 2048 KiB of heap to run fully \(mote\.memory\.full\)/);
    expect(result.disagreements).toBe(0);
    expect(r.status).toBe(0);
  });

  it('an outcome that disagrees with the prediction fails the command and is marked', async () => {
    // The app declares nothing and allocates 8 MiB as it runs: inspect cannot
    // see that, predicts full at 4M, and the run runs out of memory.
    const src = join(dir, 'hungry.ts');
    writeFileSync(src, 'const hold: number[][] = [];\nfor (let i = 0; i < 1024; i++) hold.push(new Array(1024).fill(i + 0.5));\nconsole.log(hold.length);\n');
    const image = join(dir, 'hungry.img');
    expect(moteSync(['build', src, '-o', image]).status).toBe(0);
    const r = await mote(['budget', image, '--sizes', '4M,32M', '--host', 'hosted']);
    expect(r.stdout).toMatch(/^4M +hosted +crashed +full \(!\) +100 /m);
    expect(r.stdout).toMatch(/^32M +hosted +full +full +0 /m);
    expect(r.stdout).toMatch(/\n1 crashed, 1 disagrees with the prediction\n$/);
    expect(r.status).toBe(1);
  });

  it('a crashing app: classified crashed, and the command fails', async () => {
    const src = join(dir, 'crash.ts');
    writeFileSync(src, 'console.log("up");\nnull.boom;\n');
    const image = join(dir, 'crash.img');
    expect(moteSync(['build', src, '--no-typecheck', '-o', image]).status).toBe(0); // null.boom is a type error too
    const r = await mote(['budget', image, '--sizes', '8M', '--host', 'both', '--json']);
    const result = JSON.parse(r.stdout);
    expect(result.runs.map((x: { outcome: string; status: number }) => [x.outcome, x.status])).toEqual([
      ['crashed', Exit.Uncaught],
      ['crashed', Exit.Uncaught],
    ]);
    expect(result.runs[0].detail).toMatch(/^mote: uncaught exception: TypeError/);
    expect(r.status).toBe(1);
  });

  it('a run that hangs past --timeout is crashed', async () => {
    const src = join(dir, 'hang.ts');
    writeFileSync(src, 'setInterval(() => {}, 100);\n');
    const image = join(dir, 'hang.img');
    expect(moteSync(['build', src, '-o', image]).status).toBe(0);
    const r = await mote(['budget', image, '--sizes', '8M', '--host', 'hosted', '--timeout', '0.5', '--json']);
    expect(JSON.parse(r.stdout).runs[0]).toMatchObject({ outcome: 'crashed', status: Exit.Timeout, detail: 'no exit before the timeout' });
    expect(r.status).toBe(1);
  });

  it('an app exit other than the expected status is crashed; --status names the expected one', async () => {
    const countdown = join(dir, 'countdown.img');
    expect(moteSync(['build', 'images/countdown', '-o', countdown]).status).toBe(0);
    const plain = await mote(['budget', countdown, '--sizes', '8M', '--host', 'hosted', '--json']);
    expect(JSON.parse(plain.stdout).runs[0]).toMatchObject({ outcome: 'crashed', status: 3, detail: 'the app exited with 3, not 0 (--status)' });
    expect(plain.status).toBe(1);
    const told = await mote(['budget', countdown, '--sizes', '8M', '--host', 'both', '--status', '3']);
    expect(told.stdout).toMatch(/\nevery run matches the prediction\n$/);
    expect(told.status).toBe(0);
    const bad = moteSync(['budget', countdown, '--status', '300']);
    expect(bad.stderr).toMatch(/bad status '300': give the app's exit status, 0\.\.99/);
    expect(bad.status).toBe(2);
  });

  it('a QEMU that fails at one size crashes that run only; the other sizes still run', async () => {
    // A QEMU that cannot start at 12M (as a host short of memory would) and is
    // the real one otherwise.
    const fake = join(dir, 'qemu-no-12m.sh');
    writeFileSync(fake, '#!/bin/sh\ncase " $* " in *" -m 12288K "*) echo "qemu-system-x86_64: cannot set up guest memory \'pc.ram\'" >&2; exit 1;; esac\nexec qemu-system-x86_64 "$@"\n', { mode: 0o755 });
    const r = await mote(['budget', hello, '--sizes', '8M,12M,16M', '--json'], { env: { MOTE_QEMU: fake } });
    const runs = JSON.parse(r.stdout).runs as { ram: number; outcome: string; detail: string }[];
    expect(runs.map((x) => x.outcome)).toEqual(['full', 'crashed', 'full']);
    expect(runs[1]!.detail).toBe(`mote: ${fake} failed: qemu-system-x86_64: cannot set up guest memory 'pc.ram'`);
    expect(r.status).toBe(1);
  });

  it('a malformed size such as 12X: a usage error naming it, status 2', () => {
    const r = moteSync(['budget', hello, '--sizes', '8M,12X']);
    expect(r.stderr).toMatch(/^mote: error: option '--sizes <list>' argument '8M,12X' is invalid\. bad size '12X': use a number with K, M or G, e\.g\. 16M \(a bare number is MiB, as for QEMU's -m\)\n/);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
  });
});
