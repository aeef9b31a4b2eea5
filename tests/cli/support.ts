// Test helper: drive the real CLI binary (node bin/mote.js, on the bundle that
// builder/bundle-cli.js writes) and look at its output and exit status.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(__dirname, '../..');
const bin = join(root, 'bin/mote.js');

/** Bundles the CLI (atomically) so the binary under test is the code in the tree. */
export function buildCli(): void {
  execFileSync(process.execPath, ['builder/bundle-cli.js'], { cwd: root, stdio: 'pipe' });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mote-cli-'));
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  input?: string;
  env?: Record<string, string>;
  /** Kill the CLI after this long (status -1). */
  timeoutMs?: number;
}

export function moteSync(args: string[], opts: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd ?? root,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    timeout: opts.timeoutMs ?? 120_000,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking the test runner (for QEMU runs). */
export function mote(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: opts.cwd ?? root, env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdin.end(opts.input ?? '');
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ status: code ?? -1, stdout, stderr }));
  });
}

/** No CLI stack trace may reach the user. */
export function expectNoStack(r: CliResult): void {
  if (/\n\s+at .+\(.*:\d+:\d+\)/.test(r.stderr) || /node:internal/.test(r.stderr)) {
    throw new Error(`the CLI printed a stack trace:\n${r.stderr}`);
  }
}
