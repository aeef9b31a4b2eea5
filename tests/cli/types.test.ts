// Types in an app's editor: a scaffolded app resolves "mote" and the guest's
// globals through mote's package.json (exports → types/mote.d.ts) for plain
// `tsc`, with no setup; and every global types/globals.d.ts declares exists
// in a running guest.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, moteSync, root, tempDir } from './support.ts';

beforeAll(buildCli);

const tsc = join(root, 'node_modules/typescript/bin/tsc');

/** A fresh scaffold with mote linked by npm, as its README says. */
function scaffold(): string {
  const dir = join(tempDir(), 'app');
  expect(moteSync(['new', dir]).status).toBe(0);
  const env = { ...process.env, PATH: dirname(process.execPath) + ':/usr/bin:/bin' };
  const npm = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
  expect(npm.status, npm.stderr).toBe(0);
  return dir;
}

function runTsc(dir: string) {
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '--pretty', 'false'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('declarations', () => {
  it('plain tsc --noEmit passes in a fresh scaffold, and catches misuse of the API, Node globals and Node modules', () => {
    const dir = scaffold();
    expect(runTsc(dir)).toEqual({ status: 0, out: '' });
    writeFileSync(
      join(dir, 'src/wrong.ts'),
      "import { spawn, GenServer } from 'mote';\nimport { readFileSync } from 'fs';\nspawn(42);\nGenServer.call('counter');\nprocess.exit(1);\nconsole.log(readFileSync);\n",
    );
    const r = runTsc(dir);
    expect(r.status).toBe(2);
    expect(r.out).toContain("src/wrong.ts(2,30): error TS2307: Cannot find module 'fs'");
    expect(r.out).toMatch(/src\/wrong\.ts\(3,7\): error TS2345: Argument of type 'number' is not assignable/);
    expect(r.out).toMatch(/src\/wrong\.ts\(4,11\): error TS2554: Expected 2-3 arguments, but got 1/);
    expect(r.out).toContain("src/wrong.ts(5,1): error TS2591: Cannot find name 'process'");
    expect(r.out.match(/error TS/g)).toHaveLength(4);
  });

  it('every global types/globals.d.ts declares exists in the guest', () => {
    const names = [...readFileSync(join(root, 'types/globals.d.ts'), 'utf8').matchAll(/^declare (?:var|function|class) (\w+)/gm)].map((m) => m[1]!);
    expect(names).toContain('console');
    expect(names).toContain('TextEncoder');
    const dir = tempDir();
    // Each name written out, not looked up on globalThis: the Web APIs are
    // injected where an app names them (builder/web-globals.ts).
    writeFileSync(join(dir, 'main.ts'), names.map((n) => `console.log(${JSON.stringify(n)}, typeof ${n});\n`).join(''));
    expect(moteSync(['build', 'main.ts', '-o', 'g.img'], { cwd: dir }).status).toBe(0);
    const run = moteSync(['run', 'g.img'], { cwd: dir });
    const objects = new Set(['console', 'performance', 'crypto']);
    expect(run.stdout).toBe(names.map((n) => `${n} ${objects.has(n) ? 'object' : 'function'}\n`).join(''));
    expect(run.status).toBe(0);
  });

  it("mote build's check (on by default) catches a handleCast that returns a reply; --no-typecheck builds it", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'main.ts'),
      "import { GenServer, type ServerModule } from 'mote';\n" +
        'const m: ServerModule<number> = {\n  init: () => ({ ok: 0 }),\n  handleCast(_msg, state) {\n    return { reply: state, state };\n  },\n};\nGenServer.start(m, null);\n',
    );
    const r = moteSync(['build', 'main.ts', '-o', 'x.img'], { cwd: dir });
    expect(r.stderr).toMatch(/^main\.ts:4:3: error: [^]*Types of property 'reply' are incompatible\.[^]*\(TS2322\)\n  4 \|   handleCast/);
    expect(r.stderr).toMatch(/mote: error: type check failed with 1 error\n$/);
    expect(r.status).toBe(1);
    expect(moteSync(['build', 'main.ts', '--no-typecheck', '-o', 'x.img'], { cwd: dir }).status).toBe(0);
  });
});
