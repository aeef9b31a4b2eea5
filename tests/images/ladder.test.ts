// Ling's memory ladder (issue 9), as images/ladder declares it: refused at
// 8M, a working console with both optional modules refused at 12M and one at
// 16M, everything at 20M. Each outcome equals `mote inspect`'s prediction,
// on both hosts, on microvm and pc, and the degraded runs answer requests.
import { describe, expect, it } from 'vitest';
import { mote, moteSync } from '../cli/support.ts';
import { buildImage } from './support.ts';

const M = 1 << 20;
const image = buildImage('ladder');
const requests = 'ping\nmodules\nsearch ab\nreport\nquit\n';

/** What the console answers at each rung, after its ready line. */
const answers: Record<string, RegExp> = {
  '12M': /ladder: ready \(search refused, report refused\)\npong\nsearch refused, report refused\nsearch: not loaded at this RAM\nreport: not loaded at this RAM\n$/,
  '16M': /ladder: ready \(search loaded, report refused\)\npong\nsearch loaded, report refused\nab: \d+ matches\nreport: not loaded at this RAM\n$/,
  '20M': /ladder: ready \(search loaded, report loaded\)\npong\nsearch loaded, report loaded\nab: \d+ matches\nmost common letters: .* \(20000 words counted\)\n$/,
};

describe('images/ladder: the 8M, 12M, 16M, 20M ladder', () => {
  it("inspect predicts each rung between Ling's sizes", () => {
    const { predicted } = JSON.parse(moteSync(['inspect', image, '--json']).stdout);
    expect(predicted.bootMin).toBeGreaterThan(8 * M);
    expect(predicted.bootMin).toBeLessThanOrEqual(12 * M);
    expect(predicted.optional.map((m: { name: string }) => m.name)).toEqual(['search', 'report']);
    const [search, report] = predicted.optional as Array<{ loadsFrom: number }>;
    expect(search!.loadsFrom).toBeGreaterThan(12 * M);
    expect(search!.loadsFrom).toBeLessThanOrEqual(16 * M);
    expect(report!.loadsFrom).toBeGreaterThan(16 * M);
    expect(predicted.fullMin).toBeLessThanOrEqual(20 * M);
    expect(moteSync(['inspect', image]).stdout).toMatch(/\n  loads search +12\.\d+M  \(needs 3M of heap\)\n  loads report +16\.\d+M  \(needs 4M of heap\)\n/);
  });

  it('budget at exactly 8M, 12M, 16M and 20M agrees with the prediction on both hosts, module by module', async () => {
    const r = await mote(['budget', image, '--sizes', '8M,12M,16M,20M', '--host', 'both', '--json', '--timeout', '120']);
    const result = JSON.parse(r.stdout);
    const rows = result.runs.map((x: { host: string; ram: number; outcome: string; notLoaded: string[] }) => `${x.host} ${x.ram / M}M ${x.outcome} [${x.notLoaded.join(' ')}]`);
    expect(rows).toEqual([
      'qemu 8M refused []', 'hosted 8M refused []',
      'qemu 12M degraded [search report]', 'hosted 12M degraded [search report]',
      'qemu 16M degraded [report]', 'hosted 16M degraded [report]',
      'qemu 20M full []', 'hosted 20M full []',
    ]);
    expect(result.disagreements).toBe(0);
    expect(r.status).toBe(0);
  }, 600_000);

  for (const [host, flags] of [['run', []], ['boot', ['--machine', 'microvm']], ['boot', ['--machine', 'pc']]] as const) {
    it(`answers requests at every rung it boots, ${host} ${flags.join(' ')}`.trim(), async () => {
      const refused = await mote([host, image, '-m', '8M', ...flags], { input: requests });
      expect(refused.stderr + refused.stdout).toMatch(/mote: refusing to boot: the app needs 8192 KiB of heap to start/);
      expect(refused.status).toBe(107);
      for (const size of ['12M', '16M', '20M']) {
        const r = await mote([host, image, '-m', size, '--timeout', '120', ...flags], { input: requests });
        expect(r.stdout, `${size}\n${r.stderr}`).toMatch(answers[size]!);
        expect(r.status, size).toBe(0);
      }
    }, 600_000);
  }

});
