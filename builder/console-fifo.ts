// QEMU's console output through a FIFO, not Node's own child pipe. Node gives
// a child's stdout a Unix socket pair, and QEMU's serial port writes it one
// byte per write: every byte costs the socket a buffer of its own, so a
// reader a few hundred bytes behind (a loaded machine) fills it, the write
// fails, and QEMU's 16550 drops the byte and those after it while it
// retries. A FIFO is a kernel pipe: its 64 KiB hold 64 KiB of bytes.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';

export interface ConsoleFifo {
  /** The write end, for the child's stdout; close it once the child has it. */
  writeFd: number;
  /** The read end: data, then 'close' once every writer has gone. */
  output: Socket;
  closeWriteEnd(): void;
}

export function consoleFifo(dir: string): ConsoleFifo {
  const path = join(dir, 'console');
  execFileSync('mkfifo', [path]);
  const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writeFd = openSync(path, constants.O_WRONLY);
  const output = new Socket({ fd: readFd, readable: true, writable: false });
  let open = true;
  return {
    writeFd,
    output,
    closeWriteEnd() {
      if (open) closeSync(writeFd);
      open = false;
    },
  };
}
