// mote new DIR: scaffold an app from builder/templates/app.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { CliError } from '../errors.ts';
import { makeDirs } from '../files.ts';
import { appTemplate } from '../templates/app.ts';

export async function newCommand(dir: string): Promise<number> {
  const root = resolve(dir);
  if (existsSync(root) && !statSync(root).isDirectory()) throw new CliError(`${dir} exists and is not a directory`);
  if (existsSync(root) && readdirSync(root).length > 0) throw new CliError(`${dir} exists and is not empty`);
  const name = basename(root).toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  for (const [path, text] of Object.entries(appTemplate(name))) {
    makeDirs(join(root, path, '..'));
    writeFileSync(join(root, path), text);
  }
  process.stdout.write(`created ${dir}: build it with \`mote build ${dir} -o ${name}.img\`, then \`mote run ${name}.img\`\n`);
  return 0;
}
