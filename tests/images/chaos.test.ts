// images/chaos at a small scale on both hosts at 8M: under the monkey,
// killing at every level of the tree, no acknowledged write is lost, no
// read goes back in time, every kill is restarted and the node lives to
// report. Asserts the counts the image reports, never its rates: the
// machine running the tests may be slow and busy.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../cli/support.ts';
import { buildImage, hosts, runOn } from './support.ts';

const SMALL = ['-e', 'DURATION_MS=3000', '-e', 'RATE=20', '-e', 'CLIENTS=4', '-e', 'KEYS=20', '-e', 'WORKERS=4', '-e', 'POOLS=2', '-e', 'SEED=3'];

let image: string;

beforeAll(() => {
  buildCli();
  image = buildImage('chaos');
});

const num = (out: string, re: RegExp): number[] => {
  const m = out.match(re);
  if (!m) throw new Error(`no ${re} in:\n${out}`);
  return m.slice(1).map(Number);
};

describe('images/chaos', () => {
  for (const host of hosts) {
    it(`mote ${host}: nothing acknowledged is lost, every kill is restarted, at every level`, async () => {
      const r = await runOn(host, image, SMALL);
      const out = r.stdout + r.stderr;
      expect(r.status, out).toBe(0);
      const [accepted, answered, lost] = num(out, /requests: (\d+) accepted, (\d+) answered, (\d+) lost/);
      expect(answered).toBeGreaterThan(0);
      expect(accepted).toBe(answered + lost);
      const [ackedKeys, lostWrites, stale] = num(out, /writes: \d+ made, (\d+) keys with an acknowledged write, (\d+) of them lost; (\d+) reads older/);
      expect(ackedKeys).toBeGreaterThan(0);
      expect([lostWrites, stale]).toEqual([0, 0]);
      const [kills] = num(out, /monkey: (\d+) kills of \d+ expected/);
      expect(kills).toBeGreaterThanOrEqual(3); // the levels take turns, so each got one
      let total = 0;
      for (const level of [1, 2, 3]) {
        const [k, restarts] = num(out, new RegExp(`level ${level}: (\\d+) kills, (\\d+) restarts`));
        expect(k).toBeGreaterThan(0);
        expect(restarts).toBeGreaterThanOrEqual(k);
        total += k;
      }
      expect(total).toBe(kills);
      expect(out).toMatch(/\nchaos: ok, nothing lost, everything restarted\n$/);
    }, 300_000);

    it(`mote ${host}: a supervisor past its restart intensity is named, status 4`, async () => {
      // Intensity 0: the first kill (level 1, under the root) passes the root's.
      const r = await runOn(host, image, [...SMALL, '-e', 'INTENSITY=0']);
      expect(r.stdout).toMatch(/\nchaos: supervisors past their restart intensity \(0 per 1000 ms\): chaos\.root\n$/);
      expect(r.status).toBe(4);
    }, 300_000);
  }

  it('mote run: a bad parameter says so in one line, status 2', async () => {
    const cases: Array<[string[], string]> = [
      [['-e', 'RATE=0'], 'chaos: RATE must be an integer 1..10000, got 0'],
      [['-e', 'POOLS=9'], 'chaos: POOLS (9) must not pass WORKERS (6)'],
      [['-e', 'LOG=loud'], 'chaos: LOG must be one of emergency, alert, critical, error, warning, notice, info, debug or none, got loud'],
    ];
    for (const [cli, line] of cases) {
      const r = await runOn('run', image, cli);
      expect(r.stdout).toBe(`${line}\n`);
      expect(r.status).toBe(2);
    }
  }, 60_000);
});
