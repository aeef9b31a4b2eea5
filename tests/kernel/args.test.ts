// The command line's encoding: kernel/args.ts reads what builder/cmdline.ts
// writes (and what a user gives QEMU's -append by hand).
import { describe, expect, it } from 'vitest';
import { encodeCommandLine, parseEnvFlag } from '../../builder/cmdline.ts';
import { args, env, getenv, parseCommandLine } from '../../kernel/args.ts';
import { createNodeHost } from '../support/node-host.ts';

describe('the command line', () => {
  it('reads NAME=value words as environment and the rest as arguments, as Linux hands them to init', () => {
    expect(parseCommandLine('PORT=80 verbose MODE="very fast" -- a -- B=2 "two words"')).toEqual({
      args: ['verbose', 'a', '--', 'B=2', 'two words'],
      env: { PORT: '80', MODE: 'very fast' },
    });
    expect(parseCommandLine('')).toEqual({ args: [], env: {} });
    expect(parseCommandLine('  \t\n ')).toEqual({ args: [], env: {} });
  });

  it('quotes: \\" \\\\ \\n inside, any char after \\ outside, a quoted -- is an argument', () => {
    expect(parseCommandLine('"a\\"b\\\\c\\nd\\e" x\\ y "--" 1X=no')).toEqual({ args: ['a"b\\c\nd\\e', 'x y', '--', '1X=no'], env: {} });
    expect(parseCommandLine('E= "" F=""')).toEqual({ args: [''], env: { E: '', F: '' } });
  });

  it('round-trips whatever the CLI encodes', () => {
    const argv = ['plain', '', 'two words', 'quo"te', 'back\\slash', 'new\nline', '--', 'K=V', 'é😀', ' lead', "it's", '\t'];
    const environment = { A: '1', B: 'x y', C: '', D: 'a"b\\c', E: '--' };
    const line = encodeCommandLine(argv, environment);
    expect(parseCommandLine(line)).toEqual({ args: argv, env: environment });
    expect(encodeCommandLine(['a', 'b'], { K: 'v' })).toBe('K=v -- a b');
    expect(encodeCommandLine([], {})).toBe('');
  });

  it('refuses --env without a NAME= and a line past 4096 bytes, with one line each', () => {
    expect(parseEnvFlag('A_1=x=y')).toEqual(['A_1', 'x=y']);
    expect(() => parseEnvFlag('novalue')).toThrow(/--env novalue: give NAME=value/);
    expect(() => parseEnvFlag('1A=b')).toThrow(/--env 1A=b: give NAME=value/);
    expect(() => encodeCommandLine(['x'.repeat(5000)], {})).toThrow(/take 5003 bytes on the command line; at most 4096 fit/);
  });

  it('args(), env() and getenv() read the platform, over the manifest\'s env defaults', async () => {
    const host = createNodeHost({
      commandLine: 'MODE=fast -- in.txt',
      manifest: { format: 1, name: 't', version: '0', entry: 'main.js', modules: [], env: { MODE: 'slow', LEVEL: '3' } },
    });
    let seen: unknown;
    await host.run(() => {
      seen = { args: args(), env: env(), mode: getenv('MODE'), none: getenv('NONE'), proto: getenv('toString') };
    });
    expect(seen).toEqual({ args: ['in.txt'], env: { MODE: 'fast', LEVEL: '3' }, mode: 'fast', none: undefined, proto: undefined });
  });
});

describe('the command line, host after host', () => {
  it('is read from the host the node runs on, not from an earlier one', async () => {
    const seen: string[][] = [];
    for (const line of ['-- first', '-- second']) {
      await createNodeHost({ commandLine: line }).run(() => {
        seen.push(args());
      });
    }
    expect(seen).toEqual([['first'], ['second']]);
  });
});
