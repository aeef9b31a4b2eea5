// An app's tsconfig.json import aliases (`paths`, `baseUrl`): esbuild
// resolves them when it bundles, so `mote build`'s type check resolves them
// too, and an aliased import type-checks against the file it names.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, moteSync, tempDir } from './support.ts';

beforeAll(buildCli);

/** An app whose src/main.ts imports src/lib/num.ts as `importPath`. */
function app(compilerOptions: Record<string, unknown>, importPath: string, use = 'double(21)'): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'src/lib'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'aliases', mote: { entry: 'src/main.ts' } }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', allowImportingTsExtensions: true, ...compilerOptions } }));
  writeFileSync(join(dir, 'src/lib/num.ts'), 'export const double = (n: number): number => n * 2;\n');
  writeFileSync(join(dir, 'src/main.ts'), `import { double } from '${importPath}';\nconsole.log('twice 21 is', ${use});\n`);
  return dir;
}

describe("mote build and the app's tsconfig aliases", () => {
  it('a paths alias ("@/*") type-checks, bundles and runs', () => {
    const dir = app({ paths: { '@/*': ['./src/*'] } }, '@/lib/num.ts');
    const built = moteSync(['build', '.', '-o', 'a.img'], { cwd: dir });
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    const run = moteSync(['run', 'a.img', '-m', '8M'], { cwd: dir });
    expect(run.stdout).toBe('twice 21 is 42\n');
    expect(run.status).toBe(0);
  });

  it('a baseUrl import type-checks', () => {
    const dir = app({ baseUrl: './src' }, 'lib/num.ts');
    const built = moteSync(['build', '.', '-o', 'b.img'], { cwd: dir });
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
  });

  it('the alias names the real file: a misuse of what it exports is a type error there', () => {
    const dir = app({ paths: { '@/*': ['./src/*'] } }, '@/lib/num.ts', "double('21')");
    const built = moteSync(['build', '.', '-o', 'c.img'], { cwd: dir });
    expect(built.stderr).toMatch(/^src\/main\.ts:2:35: error: Argument of type 'string' is not assignable to parameter of type 'number'\. \(TS2345\)/);
    expect(built.status).toBe(1);
  });

  it('"mote" stays the kernel API whatever the app maps it to', () => {
    const dir = app({ paths: { '@/*': ['./src/*'], mote: ['./src/lib/num.ts'] } }, '@/lib/num.ts');
    writeFileSync(join(dir, 'src/main.ts'), "import { spawn, halt } from 'mote';\nimport { double } from '@/lib/num.ts';\nspawn(async () => { console.log(double(2)); halt(0); });\n");
    const built = moteSync(['build', '.', '-o', 'd.img'], { cwd: dir });
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
  });
});
