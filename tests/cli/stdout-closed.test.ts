// `mote run app.img | head -1`: when the reader closes mote's stdout, mote ends
// as a command killed by SIGPIPE ends (141, no stack trace) and, for boot,
// takes its QEMU with it. The app prints forever, so before the fix the run
// either crashed with Node's EPIPE stack (status 1) or never ended.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, expectNoStack, moteSync, root, tempDir } from './support.ts';

const dir = tempDir();
const image = join(dir, 'chatty.img');

beforeAll(() => {
  buildCli();
  writeFileSync(join(dir, 'chatty.ts'), 'import { spawn, sleep } from "mote";\nspawn(async () => { for (let i = 0; ; i++) { console.log(`line ${i}`); await sleep(1); } });\n');
  const r = moteSync(['build', join(dir, 'chatty.ts'), '-o', image]);
  expect(r.stderr).toBe('');
});

/** Runs mote, reads its first line, then closes the pipe as `head -1` does. */
function firstLineThenClose(args: string[]): Promise<{ status: number | null; first: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/mote.js'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      if (out.includes('\n')) child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, first: out.split('\n')[0]!, stderr }));
  });
}

function qemuOf(img: string): string {
  return spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.includes('qemu-system') && l.includes(img)).join('\n');
}

describe('a reader that closes mote’s output early', () => {
  it.each(['run', 'boot'])('%s ends with 141 and no stack trace', async (command) => {
    const r = await firstLineThenClose([command, image, '-m', '8M']);
    expect(r.first).toBe('line 0');
    expectNoStack({ status: r.status ?? -1, stdout: '', stderr: r.stderr });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(141);
    if (command === 'boot') expect(qemuOf(image)).toBe('');
  }, 120_000);
});
