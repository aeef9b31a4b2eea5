// vitest's globalSetup: one temporary directory for the whole run. Every
// temporary path the tests make (mkdtemp under os.tmpdir(), and the CLI's and
// QEMU's own, which inherit TMPDIR) lands under it, and it is removed when the
// run ends, so runs do not leave thousands of directories in /tmp.
// MOTE_KEEP_TMP=1 keeps it, for looking at what a failed run left.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'mote-tests-'));
  process.env.TMPDIR = root;
  return () => {
    if (process.env.MOTE_KEEP_TMP) console.log(`mote: the run's temporary files are kept in ${root}`);
    else rmSync(root, { recursive: true, force: true });
  };
}
