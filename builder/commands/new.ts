// mote new DIR: scaffold an app from builder/templates/app.
import { existsSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { CliError } from '../errors.ts';
import { makeDirs } from '../files.ts';
import { MOTE_ROOT } from '../pack.ts';
import { appTemplate } from '../templates/app.ts';

export async function newCommand(dir: string): Promise<number> {
  const root = resolve(dir);
  if (existsSync(root) && !statSync(root).isDirectory()) throw new CliError(`${dir} exists and is not a directory`);
  if (existsSync(root) && readdirSync(root).length > 0) throw new CliError(`${dir} exists and is not empty`);
  const name = basename(root).toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  // npm resolves file: from the real directory, not through symlinks.
  makeDirs(root);
  const moteLink = relative(realpathSync(root), realpathSync(MOTE_ROOT)).split(sep).join('/');
  for (const [path, text] of Object.entries(appTemplate(name, moteLink))) {
    makeDirs(join(root, path, '..'));
    writeFileSync(join(root, path), text);
  }
  process.stdout.write(`created ${dir}: next, cd ${shellQuote(dir)} && npm install && npm run build && npm start\n`);
  return 0;
}

/** `s` as one shell word. */
function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}
