// What the sweep needs of `mote budget`: --ready for servers (up and stopped,
// or crashed/hung before it), --env and -- ARGS for every run, --jobs with
// the runs reported in order.
import { describe, expect, it } from 'vitest';
import { buildCli, mote, moteSync } from '../cli/support.ts';
import { buildImage } from '../images/support.ts';

buildCli(); // the binary under test is the code in the tree
const echo = buildImage('echo');
const orbit = buildImage('orbit');

interface Run {
  host: string;
  ram: number;
  status: number;
  outcome: string;
  detail: string;
}

async function budget(image: string, args: string[]): Promise<{ status: number; runs: Run[]; stderr: string }> {
  const r = await mote(['budget', image, '--json', '--timeout', '120', ...args]);
  return { status: r.status, runs: r.status <= 1 ? JSON.parse(r.stdout).runs : [], stderr: r.stderr };
}

const rows = (runs: Run[]) => runs.map((r) => `${r.host} ${r.ram >> 10}K ${r.outcome} ${r.status}`);

describe('mote budget --ready: a server counts as running once it prints the line', () => {
  it('up on both hosts: stopped there (130), full, and the command succeeds', async () => {
    const r = await budget(echo, ['--sizes', '8M', '--host', 'both', '--ready', 'listening on port 7']);
    expect(rows(r.runs)).toEqual(['qemu 8192K full 130', 'hosted 8192K full 130']);
    for (const run of r.runs) expect(run.detail).toBe("up ('listening on port 7'), stopped there");
    expect(r.status).toBe(0);
  }, 300_000);

  it('a server that fails before the line is crashed, with its status', async () => {
    // No network: its listen fails, its supervisor gives up, the node stops with 111.
    const r = await budget(echo, ['--sizes', '8M', '--host', 'hosted', '--net', 'none', '--ready', 'listening on port 7']);
    expect(rows(r.runs)).toEqual(['hosted 8192K crashed 111']);
    expect(r.runs[0]!.detail).toBe("ended with 111 before printing 'listening on port 7'");
    expect(r.status).toBe(1);
  }, 300_000);

  it('an empty line is a usage error: it would match before the server said anything', () => {
    const r = moteSync(['budget', echo, '--ready', ' ']);
    expect(r.stderr).toBe('mote: error: --ready: give the line the server prints once it is up, such as "listening on port 80"\n');
    expect(r.status).toBe(2);
  });

  it('a line never printed is a hang at the timeout', async () => {
    const r = await mote(['budget', echo, '--json', '--sizes', '8M', '--host', 'hosted', '--timeout', '2', '--ready', 'never printed']);
    const [run] = JSON.parse(r.stdout).runs as Run[];
    expect(`${run!.outcome} ${run!.status} ${run!.detail}`).toBe("crashed 124 never printed 'never printed' (no exit before the timeout)");
    expect(r.status).toBe(1);
  }, 300_000);
});

describe('mote budget --env and -- ARGS reach every run', () => {
  it('arguments: orbit with N=20 and P=2 from the command line runs fully', async () => {
    const r = await budget(orbit, ['--sizes', '4M,8M', '--host', 'hosted', '--', '20', '2']);
    expect(rows(r.runs)).toEqual(['hosted 4096K full 0', 'hosted 8192K full 0']);
  }, 300_000);

  it("the environment: orbit's bad N stops it with 2, a crash by budget's reckoning", async () => {
    const r = await budget(orbit, ['--sizes', '8M', '--host', 'hosted', '--env', 'N=x']);
    expect(rows(r.runs)).toEqual(['hosted 8192K crashed 2']);
    expect(r.status).toBe(1);
  }, 300_000);
});

describe('mote budget --jobs', () => {
  it('runs at once, reported in size then host order, as one at a time does', async () => {
    const args = ['--sizes', '1M,3M,2047K', '--host', 'both', '--ready', 'listening on port 7'];
    const [one, two] = [await budget(echo, args), await budget(echo, [...args, '--jobs', '2'])];
    expect(rows(two.runs)).toEqual(rows(one.runs));
    expect(rows(two.runs)).toEqual([
      'qemu 1024K refused 107', 'hosted 1024K refused 107',
      'qemu 3072K full 130', 'hosted 3072K full 130',
      'qemu 2047K refused 107', 'hosted 2047K refused 107',
    ]);
  }, 300_000);

  it('a bad count: a usage error naming it, status 2', () => {
    for (const bad of ['0', '17', 'x']) {
      const r = moteSync(['budget', echo, '--jobs', bad]);
      expect(r.stderr).toContain(`bad jobs '${bad}': give how many runs at once, 1..16`);
      expect(r.status).toBe(2);
    }
  });
});
