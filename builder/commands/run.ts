// mote run IMAGE [-m 16M] [--timeout S] [-p 8080:80]... [--net none] [--env NAME=value]... [--log-level L] [-- APP_ARGS...]:
// the image hosted in Node.
//
// The console behaves as QEMU's serial port does: on a terminal, raw mode
// (each key reaches the app as typed, no local echo) but with Ctrl-C still a
// signal (unless the image's console is "raw", package.json "mote.console":
// then Ctrl-C is a key for the app, as in images/shell). Ctrl-C stops the run with the same line and status (130) as
// `mote boot`. The run shares Node's thread, so a payload that spins without
// ever yielding (no guard) does not see it: Ctrl-\ (SIGQUIT) or --timeout
// ends that one.
import { spawnSync } from 'node:child_process';
import { Transform } from 'node:stream';
import { Exit } from '../../kernel/platform.ts';
import { INTERRUPTED } from '../hosted/types.ts';
import { checkHostedRam } from '../hosted/limits.ts';
import { runHosted } from '../hosted/index.ts';
import { readImage } from '../image.ts';
import { frameRewriter, lineRewriter, moduleCode } from '../source-maps.ts';
import { formatSize } from '../size.ts';
import { networkOptions, readImageFile, type NetFlags } from './common.ts';
import { bindError } from '../qemu-net.ts';
import { bindFailure } from '../publish.ts';
import { CliError } from '../errors.ts';
import { guestCommandLine, type GuestFlags } from './guest-options.ts';

export interface RunFlags extends NetFlags, GuestFlags {
  memory: number;
  timeout?: number;
}

const CTRL_C = '\x03';

export async function runCommand(path: string, appArgs: string[], flags: RunFlags): Promise<number> {
  checkHostedRam(flags.memory, `-m ${formatSize(flags.memory)}`);
  const commandLine = guestCommandLine(appArgs, flags);
  const network = networkOptions(flags);
  const img = await readImage(readImageFile(path));
  // As QEMU binds every hostfwd port before the guest runs, and boot fails
  // with one line when one is taken: the same here, not an app's eaddrinuse.
  for (const m of network.publish ?? []) {
    const code = await bindError(m);
    if (code !== undefined) throw new CliError(bindFailure(m, code));
  }
  const abort = new AbortController();
  const onInt = () => abort.abort();
  process.on('SIGINT', onInt);
  let stdin: NodeJS.ReadableStream = process.stdin;
  const tty = process.stdin.isTTY;
  if (tty) {
    process.stdin.setRawMode(true);
    // Raw mode turns Ctrl-C into a plain byte; give the terminal back its
    // signals, unless the app takes every key (the manifest's console "raw").
    const raw = img.manifest.console === 'raw';
    const isig = !raw && spawnSync('stty', ['isig'], { stdio: ['inherit', 'ignore', 'ignore'] }).status === 0;
    // Without stty, Ctrl-C arrives as a byte: stop the run when it does.
    stdin = process.stdin.pipe(
      new Transform({
        transform(chunk: Buffer, _enc, next) {
          const text = chunk.toString('utf8');
          if (!raw && !isig && text.includes(CTRL_C)) abort.abort();
          next(null, text);
        },
      }),
    );
  }
  // Stack frames on the console, mapped to the TypeScript when IMAGE.map is beside the image.
  const rewrite = frameRewriter(path, moduleCode(img));
  const lines = rewrite && lineRewriter(rewrite, (text) => process.stdout.write(text));
  const frames = lines && { write: (text: string) => lines.push(text), end: () => lines.end() };
  try {
    const r = await runHosted(
      { manifest: img.manifest, files: img.files, tarBytes: img.tar.length },
      { memoryBytes: flags.memory, stdout: frames ?? process.stdout, stdin, commandLine, timeoutMs: flags.timeout, signal: abort.signal, ...network },
    );
    frames?.end();
    if (r.status === Exit.Timeout) process.stderr.write(`mote: the run passed --timeout ${flags.timeout! / 1000}s\n`);
    if (r.status === INTERRUPTED) process.stderr.write('mote: interrupted; the run was stopped\n');
    return r.status;
  } finally {
    process.off('SIGINT', onInt);
    if (tty) {
      process.stdin.setRawMode(false);
      process.stdin.unpipe();
      process.stdin.pause();
    }
  }
}
