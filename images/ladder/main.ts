// Ling's memory ladder, as its memory-budget post tells it: the same image
// is refused at 8M, boots to a working console at 12M and 16M with the
// optional modules that do not fit refused, and runs fully at 20M. The
// needs are declared in package.json (min for the service, optional for
// each module), so every host decides the same way and `mote inspect`
// predicts each step.
//
// The console answers one request per line: ping, count, search WORD,
// report, memory, modules, quit. A request for a module that was refused says so,
// and the service goes on.
import { halt, loadOptional, memory, spawn, stdin } from 'mote';
import { WORDS, words } from './words.ts';

// The service's own data: what min (8M) pays for.
const index = words(WORDS);

// Loaded in the entry, outside any process, in the order package.json lists
// them (the import is a promise no process owns: kernel/optional.ts).
let engine: { find(prefix: string): string[] } | null = null;
let stats: { summary(): string } | null = null;
void loadOptional('search', () => import('./search.ts'))
  .then((search) => {
    engine = search?.build(index) ?? null;
    return loadOptional('report', () => import('./report.ts'));
  })
  .then((report) => {
    stats = report?.build(index) ?? null;
    serve();
  });

function answer(line: string): string {
  const [verb, arg] = line.trim().split(/\s+/, 2);
  switch (verb) {
    case 'ping':
      return 'pong';
    case 'count':
      return `${index.length} words`;
    case 'memory':
      return `heap used ${Math.round(memory().total / 1024)} KiB`;
    case 'modules':
      return `search ${engine ? 'loaded' : 'refused'}, report ${stats ? 'loaded' : 'refused'}`;
    case 'search':
      return engine ? `${arg}: ${engine.find(arg ?? '').length} matches` : 'search: not loaded at this RAM';
    case 'report':
      return stats ? stats.summary() : 'report: not loaded at this RAM';
    default:
      return `unknown request ${JSON.stringify(verb)}: ping, count, search WORD, report, memory, modules, quit`;
  }
}

function serve(): void {
  spawn(async () => {
    console.log(`ladder: ready (${answer('modules')})`);
    for (;;) {
      const line = await stdin.readLine();
      if (line === null || line.trim() === 'quit') halt(0);
      if (line.trim()) console.log(answer(line));
    }
  });
}
