// images/shell: a session driven through the console on both hosts at
// -m 8M, as piped input drives it: 1+1, i(), a thrown error, an up-arrow
// recall, then halt(0); and the shell living on past a runaway expression,
// Ctrl-C and observer().
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, mote, moteSync, root, tempDir } from '../cli/support.ts';
import { buildImage, hosts, runOn } from './support.ts';

const UP = '\x1b[A';
let image: string;

beforeAll(() => {
  buildCli();
  image = buildImage('shell');
});

/** The transcript as a terminal would show it: a redraw (\r, the prompt
 *  again, the line, clear to its end) replaces what the line showed. */
function screen(out: string): string {
  return out.replace(/[^\n]*\r(?=> )/g, '').replace(/\x1b\[K/g, '');
}

describe('images/shell', () => {
  for (const host of hosts) {
    it(`mote ${host}: a line has the Web APIs too, though no bundler saw it`, async () => {
      const r = await runOn(host, image, ['--net', 'none'], 120, 'new URL("http://a/b?c=1").searchParams.get("c")\ntypeof crypto.randomUUID()\natob(btoa("hé!"))\nhalt(0)\n');
      const lines = screen(r.stdout).split('\n');
      expect(lines.slice(1, 7), r.stdout).toEqual(['> new URL("http://a/b?c=1").searchParams.get("c")', "'1'", '> typeof crypto.randomUUID()', "'string'", '> atob(btoa("hé!"))', "'hé!'"]);
      expect(r.status).toBe(0);
    }, 180_000);

    it(`mote ${host}: 1+1, i(), a thrown error, an up-arrow recall, halt(0)`, async () => {
      const r = await runOn(host, image, ['--net', 'none'], 120, `1+1\ni()\nthrow new RangeError("boom")\n${UP}\n'a' + 1\nhalt(0)\n`);
      const lines = screen(r.stdout).split('\n');
      expect(lines[0]).toBe('mote shell: JavaScript on the node. help() lists the helpers; halt() or Ctrl-D leaves.');
      expect(lines[1]).toBe('> 1+1');
      expect(lines[2]).toBe('2');
      expect(lines[3]).toBe('> i()');
      expect(lines[4]).toMatch(/^Pid +Name +Status +Msgs +Memory +Reductions$/);
      expect(lines[5]).toMatch(/^<0\.\d+\.0> +shell +waiting +0 +\d+ +\d+$/);
      expect(lines[6]).toMatch(/^<0\.\d+\.0> +running +0 +\d+ +\d+$/); // the evaluator of i()
      expect(lines[7]).toMatch(/^2 processes, \d+ bytes$/);
      expect(lines.slice(8)).toEqual([
        'undefined',
        '> throw new RangeError("boom")',
        'Uncaught RangeError: boom',
        '> throw new RangeError("boom")', // recalled by Up, then Enter
        'Uncaught RangeError: boom',
        "> 'a' + 1",
        "'a1'",
        '> halt(0)',
        '',
      ]);
      expect(r.status).toBe(0);
    });

    it(`mote ${host}: an expression that never yields is killed by the runaway guard, and the shell lives on`, async () => {
      const r = await runOn(host, image, ['--net', 'none'], 120, 'for (;;) {}\n6 * 7\nhalt(3)\n');
      const out = screen(r.stdout);
      expect(out).toMatch(/> for \(;;\) \{\}\n\[error\] process <0\.\d+\.0> ran \d+ ms without yielding \(limit \d+ ms\): killed\n    at <eval> \(<input>:1:1\)\n(?:    at [^\n]*\n)*\*\* the evaluator <0\.\d+\.0> exited: killed \(it ran without yielding, or was sent kill\); a new one takes the next line\n> 6 \* 7\n42\n> halt\(3\)\n$/);
      expect(r.status).toBe(3);
    });

    it(`mote ${host}: the evaluator keeps its tables and mailbox from line to line, until it dies`, async () => {
      const input = 't = mote.ets.newTable({ name: "kv" })\ntables()\nsend(self(), "hi")\nflush()\nexit(self(), "boom")\ntables()\nhalt(0)\n';
      const out = screen((await runOn(host, image, ['--net', 'none'], 120, input)).stdout);
      expect(out).toMatch(/> t = mote\.ets\.newTable\(\{ name: "kv" \}\)\n#Tab<0\.\d+>\n> tables\(\)\nTable +Type +Size +Memory +Owner\nkv +set +0 +\d+ +<0\.\d+\.0>\n1 tables\nundefined\n/);
      expect(out).toContain('> send(self(), "hi")\n\'hi\'\n> flush()\nShell got \'hi\'\nundefined\n');
      expect(out).toMatch(/> exit\(self\(\), "boom"\)\n\*\* the evaluator <0\.\d+\.0> exited: 'boom'; a new one takes the next line\n> tables\(\)\nTable +Type +Size +Memory +Owner\n0 tables\nundefined\n> halt\(0\)\n$/);
    });

    it(`mote ${host}: Ctrl-C twice on an empty line leaves with 0, as in Node's REPL; a key between makes it a first again`, async () => {
      const r = await runOn(host, image, ['--net', 'none'], 120, '\x03a\x7f\x03\x03halt(5)\n');
      expect(screen(r.stdout).split('(To leave, press Ctrl-C again, Ctrl-D, or type halt())').length).toBe(3);
      expect(r.stdout).not.toContain('halt(5)');
      expect(r.status).toBe(0); // not halt(5)'s
    });

    it(`mote ${host}: Ctrl-C cancels a line; observer() draws until a key; the end of input leaves with 0`, async () => {
      const r = await runOn(host, image, ['--net', 'none'], 120, 'never run\x03x = [1, {a: "b"}]\nobserver()\nqx\n');
      const out = screen(r.stdout);
      expect(out).toContain('> never run^C\n> x = [1, {a: "b"}]\n[ 1, { a: \'b\' } ]\n> observer()\n\x1b[H\x1b[2Jmote observer: 0 s; any key returns to the shell\n');
      expect(out).toMatch(/\nundefined\n> x\n\[ 1, \{ a: 'b' \} \]\n> \n$/);
      expect(r.status).toBe(0);
    });
  }
});

describe('images/shell on a terminal (util-linux script(1) as the terminal)', () => {
  for (const host of hosts) {
    it(`mote ${host}: keys echo, Up recalls, Ctrl-C cancels the line (the console is raw) or interrupts the one running, halt(0) leaves`, async () => {
      const child = spawn('script', ['-qec', `exec ${process.execPath} ${join(root, 'bin/mote.js')} ${host} ${image} -m 8M --net none`, '/dev/null'], { stdio: 'pipe' });
      const closed = new Promise<number | null>((r) => child.on('close', r));
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
      // Waits for the screen to show `text` (counting from `from`); no timer races the guest.
      const waitFor = (text: string, from = 0) =>
        new Promise<void>((resolve, reject) => {
          const deadline = Date.now() + 60_000;
          const check = () => {
            if (out.indexOf(text, from) >= 0) resolve();
            else if (Date.now() > deadline) reject(new Error(`no ${JSON.stringify(text)} on the terminal; it showed ${JSON.stringify(out)}`));
            else setTimeout(check, 20);
          };
          check();
        });
      try {
        await waitFor('> ');
        child.stdin.write('6*7\r');
        await waitFor('42');
        let mark = out.length;
        child.stdin.write('never\x03');
        await waitFor('never^C', mark);
        mark = out.length;
        child.stdin.write('\x1b[A\r'); // recalls 6*7
        await waitFor('42', mark);
        mark = out.length;
        child.stdin.write('receive()\r'); // waits for ever...
        await waitFor('receive()\r\n', mark); // ...once the shell has taken the line
        child.stdin.write('\x03');
        await waitFor('** interrupted: the evaluator', mark);
        child.stdin.write('halt(0)\r');
      } catch (e) {
        child.kill('SIGKILL');
        throw e;
      } finally {
        child.stdin.end();
      }
      expect(await closed).toBe(0);
      expect(out).not.toContain('mote: interrupted'); // the runner's line for a Ctrl-C that stopped it
    });
  }
});

describe("the commands that name the shell", () => {
  it("README's first command builds images/shell and boots it: its last two steps, with halt(0) typed", async () => {
    const first = /```sh\n(.*)\n```/.exec(readFileSync(join(root, 'README.md'), 'utf8'))![1]!;
    const steps = first.split(' && ');
    expect(steps.slice(0, 2)).toEqual(['./scripts/setup.sh', 'npm run build']); // done by the suite's set-up
    expect(steps.slice(2)).toEqual(['npx mote build images/shell -o shell.img', 'npx mote boot shell.img']);
    const dir = tempDir();
    const build = moteSync(['build', 'images/shell', '-o', join(dir, 'shell.img')]);
    expect(build.status, build.stderr).toBe(0);
    const r = await mote(['boot', join(dir, 'shell.img')], { input: 'halt(0)\n' });
    expect(r.stdout).toMatch(/^mote shell: .*\n> halt\(0\)\n$/);
    expect(r.status).toBe(0);
  });

  it("mote boot --help's example, the issue's printf '1+1\\nhalt(0)\\n' | mote boot shell.img, works as written", async () => {
    expect(moteSync(['boot', '--help']).stdout).toContain("$ printf '1+1\\nhalt(0)\\n' | mote boot shell.img");
    const r = await mote(['boot', image], { input: '1+1\nhalt(0)\n' });
    expect(r.stdout).toMatch(/\n> 1\+1\n2\n> halt\(0\)\n$/);
    expect(r.status).toBe(0);
  });

  it("mote run --help's console-input example works as written", async () => {
    const help = moteSync(['run', '--help']).stdout;
    const example = /\$ echo '6\*7' \| mote run shell\.img -m 8M/.exec(help);
    expect(example, help).not.toBeNull();
    const r = await mote(['run', image, '-m', '8M'], { input: '6*7\n' });
    expect(r.stdout).toMatch(/\n> 6\*7\n42\n> \n$/);
    expect(r.status).toBe(0);
  });
});
