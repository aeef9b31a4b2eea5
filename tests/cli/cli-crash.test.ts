// If mote itself fails (an uncaught exception or an unhandled rejection in
// its own code), its QEMU goes with it: before, the child ran on, orphaned,
// with nobody to read its console or to enforce --timeout. The failure is
// made by the CLI's test hook (builder/test-failure.ts) once QEMU runs; the
// guest would run for ever.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, moteSync, root, tempDir } from './support.ts';

const dir = tempDir();
const image = join(dir, 'forever.img');

beforeAll(() => {
  buildCli();
  writeFileSync(join(dir, 'forever.ts'), 'import { spawn, sleep } from "mote";\nspawn(async () => { for (;;) await sleep(1000); });\n');
  const r = moteSync(['build', join(dir, 'forever.ts'), '-o', image]);
  expect(r.stderr).toBe('');
});

/** Pids of QEMU processes running this test's image (a zombie has no args). */
function qemuPids(): number[] {
  return spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).stdout.split('\n')
    .filter((l) => l.includes('qemu-system') && l.includes(image))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

// A failing run (the previous CLI) must not leave its QEMU behind either.
afterEach(() => {
  for (const pid of qemuPids()) process.kill(pid, 'SIGKILL');
});

/** Boots the image with the hook; at mote's exit, the QEMUs still running
 *  (an orphan holds mote's stdout open, so the streams' end waits for it:
 *  those are killed then, for the output to end). */
function bootFailing(how: string): Promise<{ status: number | null; left: number[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/mote.js'), 'boot', image, '-m', '8M', '--accel', 'tcg', '--timeout', '600'], {
      cwd: root,
      env: { ...process.env, MOTE_TEST_CLI_FAILURE: how },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let left: number[] = [];
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout.resume();
    child.on('error', reject);
    child.on('exit', () => {
      left = qemuPids();
      for (const pid of left) process.kill(pid, 'SIGKILL');
    });
    child.on('close', (status) => resolve({ status, left, stderr }));
  });
}

describe('mote boot when mote itself fails', () => {
  it.each([
    ['throw', 'an uncaught exception'],
    ['reject', 'an unhandled rejection'],
  ])('MOTE_TEST_CLI_FAILURE=%s (%s): mote ends with 1 and its QEMU is gone', async (how) => {
    const r = await bootFailing(how);
    const pid = Number(/QEMU \(pid (\d+)\) running/.exec(r.stderr)?.[1]);
    expect(pid, r.stderr).toBeGreaterThan(0);
    expect(r.status, r.stderr).toBe(1);
    expect(r.left, 'QEMUs still running when mote had exited').toEqual([]);
  }, 120_000);
});
