// The files `mote new` writes, by path: an app whose top supervisor runs one
// gen_server (a counter), a main that talks to it, a self-test that runs in
// the image, a tsconfig.json for the editor and `tsc`, and a README saying
// how to build, run and boot it.
// `moteLink` is where mote is, relative to the app: `npm install` links it
// into node_modules, so the scripts and `npx mote` find it.
import { appTsconfig } from './tsconfig.ts';

export function appTemplate(name: string, moteLink: string): Record<string, string> {
  const pkg = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    mote: { entry: 'src/main.ts', memory: { min: '2M', full: '4M' } },
    scripts: {
      build: `mote build . -o ${name}.img`,
      start: `mote run ${name}.img`,
      boot: `mote boot ${name}.img -m 16M`,
      test: 'mote build test/counter.test.ts -o test.img && mote run test.img',
    },
    devDependencies: { mote: `file:${moteLink}` },
  };
  return {
    'package.json': JSON.stringify(pkg, null, 2) + '\n',
    'src/counter.ts': COUNTER,
    'src/sup.ts': SUP.replaceAll('NAME', name),
    'src/main.ts': MAIN.replaceAll('NAME', name),
    'test/counter.test.ts': TEST,
    'README.md': README.replaceAll('NAME', name),
    'tsconfig.json': appTsconfig(),
    '.gitignore': 'node_modules/\n*.img\n*.img.map\n', // mote build writes IMAGE.map beside IMAGE
  };
}

const COUNTER = `// A gen_server holding a count. Callers use the functions below; the
// callbacks are the server's side (see mote's GenServer).
import { GenServer, type ServerModule, type ServerRef } from 'mote';

interface State {
  count: number;
}

const counter: ServerModule<State, number> = {
  init: (start) => ({ ok: { count: start } }),
  handleCall(req, _from, state) {
    if (req === 'get') return { reply: state.count, state };
    return { reply: { error: 'unknown request' }, state };
  },
  handleCast(msg, state) {
    if (msg === 'increment') return { state: { count: state.count + 1 } };
    return { state };
  },
};

/** Starts the counter linked to the caller (a supervisor), named 'counter'. */
export const startCounter = (start = 0) => GenServer.startLink(counter, start, { name: 'counter' });
export const increment = (server: ServerRef = 'counter') => GenServer.cast(server, 'increment');
export const get = (server: ServerRef = 'counter') => GenServer.call<number>(server, 'get');
`;

const SUP = `// The app's top supervisor: restarts the counter if it crashes.
import { Supervisor } from 'mote';
import { startCounter } from './counter.ts';

export const startSup = () =>
  Supervisor.startLink(
    () => ({
      flags: { strategy: 'one_for_one', intensity: 3, period: 5000 },
      children: [{ id: 'counter', start: () => startCounter(0) }],
    }),
    { name: 'NAME_sup' },
  );
`;

const MAIN = `// NAME: the entry module, run first when the image boots. Work happens in
// processes: the first one starts the app's supervision tree, then talks to it.
import { application, halt, spawn } from 'mote';
import { get, increment } from './counter.ts';
import { startSup } from './sup.ts';

spawn(async () => {
  const started = application.start('NAME', { start: startSup });
  if ('error' in started) {
    console.log('NAME: could not start:', started.error);
    halt(1);
  }
  for (let i = 0; i < 3; i++) increment();
  console.log(\`NAME: the counter says \${await get()}\`);
  halt(0);
});
`;

const TEST = `// A self-test that runs inside the image: prints "ok" or "not ok" per case
// and halts with 0 only if all passed. Run it with \`npm test\`.
import { halt, spawn } from 'mote';
import { get, increment, startCounter } from '../src/counter.ts';

let failed = 0;
function check(name: string, ok: boolean, detail = ''): void {
  console.log(\`\${ok ? 'ok' : 'not ok'} - \${name}\${ok ? '' : ': ' + detail}\`);
  if (!ok) failed++;
}

spawn(async () => {
  const started = startCounter(40);
  check('the counter starts', 'ok' in started, JSON.stringify(started));
  check('it holds its starting value', (await get()) === 40);
  increment();
  increment();
  const n = await get();
  check('casts are handled before a later call', n === 42, \`got \${n}\`);
  halt(failed === 0 ? 0 : 1);
});
`;

const README = `# NAME

A mote app: TypeScript actors in a unikernel image.
\`src/sup.ts\` is the top supervisor; it runs the gen_server in
\`src/counter.ts\`; \`src/main.ts\` starts it and asks it for its count.

## Set up

    npm install                        # links mote (package.json, devDependencies)

mote is linked from where \`mote new\` found it; if you move the app or
mote, change that path.

## Build and run

    npx mote build . -o NAME.img       # type-checks, then one image file: boot layer, kernel, app
    npx mote run NAME.img              # hosted, in Node: no QEMU needed
    npx mote boot NAME.img -m 16M      # in QEMU (KVM if usable, else TCG)

## Check it

    npx mote inspect NAME.img          # memory map and the RAM it needs
    npx mote budget NAME.img           # runs at 8M..20M and classifies each run
    npm test                           # test/counter.test.ts, run inside an image

Types: \`tsconfig.json\` makes \`mote\` and the guest's globals (console,
timers) resolve in an editor and for \`tsc --noEmit\` (\`npm i -D typescript\` first:
the app does not carry TypeScript itself), with no Node types:
the guest has no Node. \`mote build\` checks the same way (\`--no-typecheck\`
skips it).

The memory the app needs is declared in package.json under
\`mote.memory\` (\`min\` to boot, \`full\` to run fully).
`;
