// The engine conformance script (fixtures/conformance.ts) on every host:
// metal and hosted run one engine and one host core (issue 10), so they
// must print the same bytes; node is the reference for what JS should
// print, and every line where the guests' QuickJS prints otherwise is named
// here. A line that starts or stops differing fails the test until this
// list says so (a QuickJS upgrade should shorten it).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runHosted } from '../../builder/hosted/index.ts';
import { readImage } from '../../builder/image.ts';
import { bundleApp } from '../../builder/pack.ts';
import { boot, buildImage, workDir } from '../support/guest.ts';

/** Lines where QuickJS 2025-04-26 prints otherwise than node, and why. */
const NOT_AS_NODE: Record<string, string> = {
  '(-0.1).toString(2..36)': "a fraction with no end in the radix: the last digits, where each engine rounds the expansion off past a double's precision",
  '(1/3).toString(2..36)': 'the same',
  '(0.5).toString(2..36)': 'the same (0.5 ends in even radixes only)',
  '(2**53+1).toString(2..36)': 'an integer past 2**53: QuickJS rounds its last digits to a double\'s precision (…101120 in radix 3), V8 prints the exact integer (…101112)',
  '(1e21).toString(2..36)': 'the last digits: both round past a double\'s precision, each its own way (neither is exact)',
  'Math.acosh': "acosh(3)'s last digit: the C library's (musl's, on both guests) against V8's own",
  'Math.log': "log(3)'s last digit, the same",
  'Math.pow': "pow(10, -5): the guests' is the double nearest 1e-5, V8's one below it",
  'Math.hypot': 'hypot(1, 2, 3): one digit short of the nearest double to sqrt(14), which V8 gives',
  toString: 'no "(Coordinated Universal Time)" after the offset',
  'toDateString/toTimeString': 'the same',
};

const fixture = join(import.meta.dirname, 'fixtures/conformance.ts');

/** name → value, for lines "name: value"; the timer lines name themselves. */
function lines(out: string): Map<string, string> {
  return new Map(out.split('\n').filter(Boolean).map((l) => {
    const at = l.indexOf(': ');
    return at < 0 ? [l, ''] : [l.slice(0, at), l.slice(at + 2)];
  }));
}

describe('the engine conformance script', () => {
  let node = '';
  let hosted = '';
  let metal = '';

  beforeAll(async () => {
    const bundle = join(workDir, 'conformance.mjs');
    writeFileSync(bundle, await bundleApp(fixture));
    node = execFileSync(process.execPath, [bundle], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    const image = await buildImage(fixture, 'conformance');
    const img = await readImage(readFileSync(image));
    // QuickJS holds the 100,000-entry Map in about 19 MiB.
    const h = await runHosted({ manifest: img.manifest, files: img.files, tarBytes: img.tar.length }, { memoryBytes: 32 << 20, timeoutMs: 60_000 });
    expect(h.status, h.output).toBe(0);
    hosted = h.output;
    const m = await boot(image, { memory: 32 << 20, timeoutMs: 120_000 });
    expect(m.status, m.output).toBe(0);
    metal = m.output;
  }, 240_000);

  it('prints the same bytes on metal and hosted', () => {
    expect(node).toContain('date advanced: true');
    expect(hosted).toBe(metal);
  });

  it('differs from node only in the lines named, each by name', () => {
    const ours = lines(metal);
    const theirs = lines(node);
    expect([...ours.keys()]).toEqual([...theirs.keys()]);
    const differing = [...theirs.keys()].filter((k) => ours.get(k) !== theirs.get(k));
    expect(differing.sort()).toEqual(Object.keys(NOT_AS_NODE).sort());
  });
});
