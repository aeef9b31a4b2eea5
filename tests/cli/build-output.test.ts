// `npm run build` is quiet: the boot layer's make prints one line per step
// (and a summary), the full commands only with V=1. Checked on two real
// steps built into a temp directory, so the tree's build/ is not touched.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, tempDir } from './support.ts';

function make(vars: string[], target: (b: string) => string) {
  const b = tempDir();
  const r = spawnSync('make', ['--no-print-directory', '-C', join(root, 'qemu'), `B=${b}`, ...vars, target(b)], { encoding: 'utf8', timeout: 120_000 });
  return { ...r, b };
}

describe('the boot layer build output', () => {
  it('is one line per step by default', () => {
    const r = make([], (b) => `${b}/power.o`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`  GEN     ${r.b}/musl_offsets.h\n  CC      ${r.b}/power.o\n`);
    expect(r.status).toBe(0);
  });

  it('is every full command with V=1', () => {
    const r = make(['V=1'], (b) => `${b}/power.o`);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^sh tools\/musl-offsets\.sh .*\ngcc -m64 .* -c src\/power\.c -o .*\/power\.o\n$/);
    expect(r.stdout).not.toContain('  CC ');
  });
});
