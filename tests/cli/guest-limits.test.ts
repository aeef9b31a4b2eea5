// What the guest does not have, said with what to write instead
// (builder/guest-limits.ts): Node's built-in modules and globals, by the
// type check and by the bundler alike, and top-level await.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, expectNoStack, moteSync, tempDir } from './support.ts';

beforeAll(buildCli);

const NODE = "is one of Node's built-in modules, which do not exist in mote (the guest runs no Node): ";

function build(source: string, ...flags: string[]) {
  const dir = tempDir();
  writeFileSync(join(dir, 'main.ts'), source);
  const r = moteSync(['build', 'main.ts', ...flags, '-o', 'x.img'], { cwd: dir });
  expectNoStack(r);
  expect(r.status).toBe(1);
  expect(existsSync(join(dir, 'x.img'))).toBe(false);
  return r.stderr;
}

const IMPORTS = "import { readFileSync } from 'node:fs';\nimport * as net from 'net';\nimport { createServer } from 'http';\nconsole.log(readFileSync, net, createServer);\n";

describe('Node built-ins', () => {
  it.each([[], ['--no-typecheck']])('an import of fs, net or http says mote has none, and what to use (%s)', (...flags) => {
    const err = build(IMPORTS, ...flags);
    const code = flags.length ? '' : ' (TS2307)'; // the type check, or with it off the bundler
    expect(err).toContain(`main.ts:1:30: error: "node:fs" ${NODE}there is no file system: take input from args(), env() or stdin, and keep state in ets tables, from "mote"${code}\n`);
    expect(err).toContain(`main.ts:2:22: error: "net" ${NODE}use gen_tcp (TCP sockets) or TcpServer (an acceptor pool), from "mote"${code}\n`);
    expect(err).toContain(`main.ts:3:30: error: "http" ${NODE}use HttpServer (an HTTP/1.1 server), from "mote"; a client speaks HTTP over gen_tcp${code}\n`);
    expect(err).not.toMatch(/platform|@types\/node/);
    expect(err).toMatch(/mote: error: (type check|the build) failed with 3 errors\n$/);
  });

  it("Node's globals say the same, not 'install type definitions for node'", () => {
    const err = build('console.log(process.argv, Buffer.from("x"));\n');
    expect(err).toContain("main.ts:1:13: error: process is one of Node's globals, which do not exist in mote (the guest runs no Node): use args(), env(), halt() and memory(), from \"mote\" (TS2591)\n");
    expect(err).toContain("main.ts:1:27: error: Buffer is one of Node's globals");
    expect(err).not.toContain('type definitions');
  });
});

const TLA = "top-level await does not run in mote (an app's modules are bundled for ES2020, which has none): await inside a process instead, as in spawn(async () => { const m = await import('./m.ts'); ... })";

describe('top-level await', () => {
  it('says plainly how to write it: await inside a process', () => {
    const err = build("import { spawn } from 'mote';\nconst m = await import('./main.ts');\nspawn(() => console.log(m));\n");
    expect(err).toBe(`main.ts:2:11: error: ${TLA}\n  2 | const m = await import('./main.ts');\n                ^\nmote: error: the build failed with 1 error\n`);
  });

  it("in a file with no imports the type check says the same, not TypeScript's 'add export {}'", () => {
    const err = build('const n = await Promise.resolve(1);\nconsole.log(n);\n');
    expect(err).toBe(`main.ts:1:11: error: ${TLA} (TS1375)\n  1 | const n = await Promise.resolve(1);\n                ^\nmote: error: type check failed with 1 error\n`);
  });
});
