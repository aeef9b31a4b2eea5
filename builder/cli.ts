// The mote CLI: a thin adapter from flags to the builder's API. Each command's
// module loads only when that command runs; each command has one catch, which
// prints `mote: error: …` (and diagnostics, compiler-style) and sets the exit
// code. No stack trace of the CLI itself reaches the user unless MOTE_DEBUG=1.
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { BootFlags } from './commands/boot.ts';
import type { BudgetFlags } from './commands/budget.ts';
import type { BuildFlags } from './commands/build.ts';
import type { InspectFlags } from './commands/inspect.ts';
import type { RunFlags } from './commands/run.ts';
import { ArgumentError, CliError, CliExit, formatDiagnostic, ImageError, LimitError, MoteError, StoppedError } from './errors.ts';
import type { PortMapping } from './hosted/types.ts';
import { addPublish } from './publish.ts';
import { endQuietlyWhenStdoutCloses } from './stdout-closed.ts';
import { parseSize, parseSizes } from './size.ts';
import { envOption, GUEST_HELP, logLevelOption } from './commands/guest-options.ts';

// QuickJS runs as WebAssembly in `run`, `inspect` and `budget`. V8's optimising
// tier recompiles the whole module in the background and holds the process
// ~100 ms at exit for it; the baseline tier alone starts and exits at once and
// runs QuickJS ~10% slower (measured: hello 0.24 s -> 0.15 s; a 300k-entry Map
// loop 476 -> 524 ms).
setFlagsFromString('--liftoff-only');

/** builder/cli.ts and dist/cli.js both sit one folder below package.json. */
const MOTE_VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

const EXIT_CODES = `
Exit status:
  0          success; for boot and run, the program finished or halt(0)
  1..99      boot, run: the app's own halt(n) (exit(reason) ends a process,
             not the node)
  100..111   boot, run: mote's statuses (uncaught error 100, out of memory 101,
             RAM too small 107, triple fault 110, an application failed 111;
             docs/ARCHITECTURE.md lists them all); every command that reads
             an image: corrupt 102, truncated 103, no entry 104, format too
             new 108
  124        boot, run: --timeout passed
  128+n      boot, run: mote was stopped by signal n (Ctrl-C: 130); 141 when
             the reader of its output closed it (\`| head -1\`), as SIGPIPE
  1          build, inspect, budget: the command failed (budget: a run crashed
             or disagreed with inspect's prediction); boot: QEMU could not
             start (a -p host port in use, a bad --qemu-arg)
  2          bad usage: an unknown flag, a malformed size such as 12X or
             port mapping such as -p 8080`;

function size(text: string): number {
  try {
    return parseSize(text);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function sizes(text: string): number[] {
  try {
    return parseSizes(text);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function jobs(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 16) throw new InvalidArgumentError(`bad jobs '${text}': give how many runs at once, 1..16`);
  return n;
}

function seconds(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`bad timeout '${text}': give seconds, e.g. 10`);
  return Math.round(n * 1000);
}

function appStatus(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 99) throw new InvalidArgumentError(`bad status '${text}': give the app's exit status, 0..99`);
  return n;
}

function publish(text: string, before: PortMapping[] | undefined): PortMapping[] {
  try {
    return addPublish(text, before);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function collect(text: string, before: string[] | undefined): string[] {
  return [...(before ?? []), text];
}

/** `-p` and `--net`, the same on boot and run (and --net on budget). */
function publishOption(): Option {
  return new Option('-p, --publish <mapping>', 'a host port that reaches a guest port, e.g. 8080:80 (repeatable)').argParser(publish);
}

function netOption(): Option {
  return new Option('--net <mode>', "the guest's network: user, or none for no network").choices(['user', 'none']).default('user');
}

const PORTS_HELP = `Ports: -p [hostIp:]hostPort:guestPort[/tcp|/udp], as Docker writes it; the
host address defaults to 127.0.0.1 (this machine only), the protocol to tcp.`;

/** The exit status for each kind of error; anything else is a failed command. */
function exitStatus(e: unknown): number {
  if (e instanceof CliError) return e.exitCode;
  // The status the boot layer would give the image; 128 + the signal's number.
  if (e instanceof ImageError || e instanceof StoppedError) return e.status;
  if (e instanceof LimitError || e instanceof ArgumentError) return CliExit.Usage;
  return CliExit.Failed;
}

function report(e: unknown): number {
  if (process.env.MOTE_DEBUG === '1') console.error(e);
  const diagnostics = e instanceof CliError || e instanceof MoteError ? e.diagnostics : [];
  for (const d of diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
  process.stderr.write(`mote: error: ${(e as Error)?.message ?? String(e)}\n`);
  return exitStatus(e);
}

/** Runs a command module's function with one catch around it. */
function action<A extends unknown[]>(run: (...args: A) => Promise<number>) {
  return async (...args: A) => {
    try {
      process.exitCode = await run(...args);
    } catch (e) {
      process.exitCode = report(e);
    }
  };
}

export function program(): Command {
  const cli = new Command('mote')
    .description('Build TypeScript actor programs into unikernel images that QEMU boots, and run them.')
    .version(MOTE_VERSION, '-V, --version')
    .showHelpAfterError('(run `mote help` or `mote <command> --help` for usage)')
    .configureOutput({ outputError: (text, write) => write(`mote: ${text}`) })
    .addHelpText(
      'after',
      `
Examples:
  $ mote new hello && cd hello
  $ mote build -o hello.img          build the app in this directory
  $ mote run hello.img               run it hosted, in Node
  $ mote boot hello.img -m 16M       boot it in QEMU
  $ mote boot web.img -p 8080:80     boot a server: 127.0.0.1:8080 reaches its port 80
  $ mote inspect hello.img           memory map and predicted RAM
  $ mote budget hello.img            run it at 8M..20M and classify each run
${EXIT_CODES}`,
    );
  cli.exitOverride((err) => {
    const ok = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help';
    process.exit(ok ? 0 : CliExit.Usage);
  });

  cli
    .command('build')
    .description('bundle an app, the kernel and the modules it uses into one image')
    .argument('[app]', 'a directory whose package.json has a "mote" field, or an entry .ts/.js file', '.')
    .option('-o, --output <image>', 'the image to write (default: <name>.img)')
    .option('--no-typecheck', 'skip the TypeScript type check (on by default: type errors fail the build)')
    .option('--no-minify', 'a development build: process.env.NODE_ENV is "development" (the code is never minified, so stack lines match the source)')
    .option('--boot-layer <elf>', 'the boot layer to pack (default: the one `npm run build` makes)')
    .option('--json', 'print the manifest as JSON')
    .addHelpText('after', '\nExamples:\n  $ mote build -o app.img\n  $ mote build images/lazy --no-typecheck -o lazy.img\n  $ mote build src/main.ts -o main.img')
    .action(action(async (app: string, flags: BuildFlags) => (await import('./commands/build.ts')).buildCommand(app, flags)));

  cli
    .command('inspect')
    .description("show an image's memory map, its modules, and the RAM it needs")
    .argument('<image>', 'an image written by mote build')
    .option('--json', 'print the report as JSON')
    .option('--extract <dir>', 'write the payload (manifest.json and the modules) into DIR')
    .addHelpText('after', '\nExamples:\n  $ mote inspect app.img\n  $ mote inspect app.img --json | jq .predicted\n  $ mote inspect app.img --extract payload/')
    .action(action(async (image: string, flags: InspectFlags) => (await import('./commands/inspect.ts')).inspectCommand(image, flags)));

  cli
    .command('boot')
    .description('boot an image in QEMU with the console on this terminal; exits with the guest status')
    .argument('<image>', 'an image written by mote build')
    .argument('[args...]', "the app's arguments, after --")
    .addOption(new Option('-m, --memory <size>', 'guest RAM, e.g. 16M').default(16 << 20, '16M').argParser(size))
    .addOption(new Option('--accel <accel>', 'accelerator').choices(['auto', 'kvm', 'tcg']).default('auto'))
    .addOption(new Option('--machine <machine>', 'QEMU machine').choices(['microvm', 'pc']).default('microvm'))
    .option('--timeout <seconds>', 'stop the guest after this long (status 124)', seconds)
    .addOption(publishOption())
    .addOption(netOption())
    .addOption(envOption())
    .addOption(logLevelOption())
    .addOption(new Option('--qemu-arg <arg>', 'one more argument for QEMU itself (repeatable: --qemu-arg -d --qemu-arg guest_errors)').argParser(collect))
    .addHelpText(
      'after',
      `
${GUEST_HELP} They travel on the kernel command line
(QEMU's -append), so \`qemu-system-x86_64 -kernel app.img -append 'K=V -- a b'\`
gives the same.

Network: QEMU user networking, so no root, tap or bridge: the guest is
10.0.2.15 and reaches this machine at 10.0.2.2. --net none attaches no
network device; only then may QEMU flags that attach one (-netdev, -nic,
-net, -device virtio-net-*) be given with --qemu-arg.
${PORTS_HELP}
QEMU listens on each host port and forwards to the guest.

Examples:
  $ mote boot app.img
  $ mote boot app.img -m 8M --accel tcg --timeout 30
  $ mote boot web.img -p 8080:80                 127.0.0.1:8080 reaches the guest's port 80
  $ mote boot dns.img -p 5353:53/udp -p 0.0.0.0:8443:443
  $ mote boot app.img --net none                 no network device at all
  $ mote boot app.img --env MODE=fast -- in.txt  the app's environment and arguments
  $ mote boot app.img --log-level info           show logger.info lines too
  $ printf '1+1\\nhalt(0)\\n' | mote boot shell.img   console input from a pipe
  $ mote boot app.img --qemu-arg -d --qemu-arg guest_errors`,
    )
    .action(action(async (image: string, args: string[], flags: BootFlags) => (await import('./commands/boot.ts')).bootCommand(image, args, flags)));

  cli
    .command('run')
    .description('run an image hosted in Node (the boot layer\'s QuickJS and host in WebAssembly): same platform, console and exit status, no QEMU')
    .argument('<image>', 'an image written by mote build')
    .argument('[args...]', "the app's arguments, after --")
    .addOption(new Option('-m, --memory <size>', 'RAM budget, as for boot').default(16 << 20, '16M').argParser(size))
    .option('--timeout <seconds>', 'stop the run after this long (status 124)', seconds)
    .addOption(publishOption())
    .addOption(netOption())
    .addOption(envOption())
    .addOption(logLevelOption())
    .addHelpText(
      'after',
      `
${GUEST_HELP}

Network: the app's sockets are this machine's, through Node; 10.0.2.2 is
127.0.0.1, as under QEMU. --net none gives the app no network.
${PORTS_HELP}
Node listens on each host port. -p and --net are the same as for boot: one
command line serves on both hosts.

Ctrl-C stops the run (status 130). A program spinning without ever yielding does not see it: use Ctrl-\\ or --timeout.

Examples:
  $ mote run app.img
  $ echo '6*7' | mote run shell.img -m 8M       console input: the shell reads it, prints 42, ends with it
  $ mote run app.img --env MODE=fast -- in.txt   the app's environment and arguments
  $ mote run app.img --log-level info            show logger.info lines too
  $ mote run http.img -p 8080:80                 127.0.0.1:8080 reaches the app's port 80
  $ mote run app.img --net none`,
    )
    .action(action(async (image: string, args: string[], flags: RunFlags) => (await import('./commands/run.ts')).runCommand(image, args, flags)));

  cli
    .command('budget')
    .description('run an image at several RAM sizes and classify each run: full, degraded, refused or crashed')
    .argument('<image>', 'an image written by mote build')
    .argument('[args...]', "the app's arguments, after --, for every run")
    .addOption(new Option('--sizes <list>', 'RAM sizes, comma-separated').default(sizes('8M,12M,16M,20M'), '8M,12M,16M,20M').argParser(sizes))
    .addOption(new Option('--host <host>', 'where to run').choices(['qemu', 'hosted', 'both']).default('qemu'))
    .option('--timeout <seconds>', 'per run; a run past it counts as crashed (default 10)', seconds)
    .option('--status <n>', 'the status the app exits with when it runs fully; any other counts as crashed', appStatus, 0)
    .addOption(netOption())
    .addOption(envOption())
    .option('--ready <text>', "for a server: a line it prints once it is up; a run that prints it is stopped there and counts as running")
    .option('--jobs <n>', 'runs at once (QEMU runs in parallel, hosted runs one at a time)', jobs, 1)
    .option('--json', 'print the runs as JSON')
    .addHelpText(
      'after',
      '\nEach run gets the network as boot and run give it by default (no ports published): its\nbuffers take RAM. --net none measures without it.\n\nExits 1 if any run crashed, or if any outcome disagrees with what `mote inspect` predicts.\n\nExamples:\n  $ mote budget app.img\n  $ mote budget app.img --sizes 2M,4M,8M --host both --json\n  $ mote budget countdown.img --status 3     an app that ends with halt(3) when all goes well\n  $ mote budget http.img --ready "listening on port 80"   a server: up at each size?\n  $ mote budget orbit.img --env N=200 --host both --jobs 2',
    )
    .action(action(async (image: string, args: string[], flags: BudgetFlags) => (await import('./commands/budget.ts')).budgetCommand(image, args, flags)));

  cli
    .command('new')
    .description('scaffold an app: a supervisor, a gen_server, a test and a README')
    .argument('<dir>', 'the directory to create')
    .addHelpText('after', '\nExamples:\n  $ mote new counter && cd counter && mote build -o counter.img && mote run counter.img')
    .action(action(async (dir: string) => (await import('./commands/new.ts')).newCommand(dir)));

  return cli;
}

endQuietlyWhenStdoutCloses();
// A bare `mote` asks for help: give it on stdout, as --help does.
if (process.argv.length <= 2) program().outputHelp();
else await program().parseAsync(process.argv);
