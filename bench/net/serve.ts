// A server under test as a child process (mote run, mote boot, a reference),
// started and waited for until a probe on its port succeeds, then stopped by
// its own pid. Bounded: a server that has not answered in `readyMs` is
// killed and the start fails with what it printed.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Server {
  name: string;
  /** Host ports by guest role, e.g. { http: 8080 } or { http, echo }. */
  ports: Record<string, number>;
  /** Launch to the first successful probe, ms. */
  readyMs: number;
  output(): string;
  /** How the process ended, if it has: "status 101", "SIGKILL". */
  exited(): string | undefined;
  stop(): Promise<void>;
}

export interface Launch {
  name: string;
  cmd: string;
  args: string[];
  ports: Record<string, number>;
  /** Succeeds once the server answers (on any one of its ports). */
  ready(ports: Record<string, number>): Promise<boolean>;
  readyMs?: number;
  /** How often to probe, ms (default 20). */
  everyMs?: number;
  cwd?: string;
}

export async function startServer(l: Launch): Promise<Server> {
  const t0 = performance.now();
  const child = spawn(l.cmd, l.args, { cwd: l.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (out += s));
  let exited: string | undefined;
  const closed = new Promise<void>((resolve) => child.on('close', (code, sig) => ((exited = `status ${code ?? sig}`), resolve())));
  child.on('error', (e) => (exited = e.message));
  const deadline = t0 + (l.readyMs ?? 60_000);
  while (performance.now() < deadline) {
    if (exited) throw new Error(`${l.name}: exited (${exited}) before serving:\n${out}`);
    if (await l.ready(l.ports).catch(() => false)) {
      const readyMs = performance.now() - t0;
      return { name: l.name, ports: l.ports, readyMs, output: () => out, exited: () => exited, stop: () => stop(child, closed) };
    }
    await new Promise((r) => setTimeout(r, l.everyMs ?? 20));
  }
  await stop(child, closed);
  throw new Error(`${l.name}: did not serve within ${l.readyMs ?? 60_000} ms:\n${out}`);
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. */
async function stop(child: ChildProcess, closed: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await closed;
  clearTimeout(t);
}
