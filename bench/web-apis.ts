// What each Web API (kernel/web/) costs an app that uses it, on both hosts:
// the heap its compiled code holds (the app's heap at the top of main,
// against the same app naming no API), what its first use adds, and its
// bytes in the image. Medians of RUNS runs, alternating with the reference.
//
//   npx vite-node bench/web-apis.ts [--runs N]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packApp } from '../builder/pack.ts';
import { runHosted } from '../builder/hosted/index.ts';
import { bootImage } from '../builder/qemu.ts';
import { readImage } from '../builder/image.ts';
import { median } from './stats.ts';
import { readFlags } from './flags.ts';

const RUNS = readFlags('usage: npx vite-node bench/web-apis.ts [--runs 5]\n  --runs N   runs of each app, alternating with the reference; medians are reported', ['runs']).number('runs', 5);

/** One use of each API; the reference uses none. */
const USES: Record<string, string> = {
  none: '0',
  encoding: 'new TextDecoder().decode(new TextEncoder().encode("héllo")).length',
  base64: 'atob(btoa("hello")).length',
  clone: 'structuredClone({ a: [1, 2], m: new Map([[1, 2]]) }).a.length',
  url: 'new URL("http://example.com/a?b=1").searchParams.get("b")',
  events: '(() => { const t = new EventTarget(); let n = 0; t.addEventListener("x", () => n++); t.dispatchEvent(new Event("x")); return n; })()',
  abort: '(() => { const c = new AbortController(); c.abort(); return c.signal.aborted; })()',
  crypto: 'crypto.randomUUID().length',
  performance: 'performance.now() >= 0',
};

function app(dir: string, api: string): string {
  const path = join(dir, `${api}.ts`);
  writeFileSync(path, `import { memory } from 'mote';\nconst a = memory().total;\nconst v = ${USES[api]};\nconst b = memory().total;\nconsole.log(JSON.stringify({ a, b, v: String(v) }));\n`);
  return path;
}

interface Sample { atStart: number; firstUse: number }

async function measure(image: Uint8Array, path: string, host: 'hosted' | 'metal'): Promise<Sample> {
  let output: string;
  if (host === 'hosted') {
    const img = await readImage(image);
    output = (await runHosted({ manifest: img.manifest, files: img.files, tarBytes: img.tar.length }, { memoryBytes: 16 << 20, timeoutMs: 30_000 })).output;
  } else {
    output = (await bootImage(path, { memory: 16 << 20, stdio: 'pipe', timeoutMs: 60_000 })).output;
  }
  const line = output.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`${path} on ${host}: no figures in\n${output}`);
  const { a, b } = JSON.parse(line) as { a: number; b: number };
  return { atStart: a, firstUse: b - a };
}

const dir = mkdtempSync(join(tmpdir(), 'mote-web-bench-'));
const images = new Map<string, { image: Uint8Array; path: string; bytes: number }>();
for (const api of Object.keys(USES)) {
  const { image, manifest } = await packApp({ app: app(dir, api) });
  const path = join(dir, `${api}.img`);
  writeFileSync(path, image);
  images.set(api, { image, path, bytes: manifest.webApis?.[api] ?? 0 });
}

const rows: string[] = [];
for (const host of ['hosted', 'metal'] as const) {
  for (const api of Object.keys(USES).filter((n) => n !== 'none')) {
    const code: number[] = [];
    const first: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // The reference in the same run, alternating.
      const ref = await measure(images.get('none')!.image, images.get('none')!.path, host);
      const s = await measure(images.get(api)!.image, images.get(api)!.path, host);
      code.push(s.atStart - ref.atStart);
      first.push(s.firstUse - ref.firstUse);
    }
    const kib = (n: number) => (n / 1024).toFixed(1);
    rows.push(`| ${api} | ${host} | ${kib(images.get(api)!.bytes)} | ${kib(median(code))} | ${kib(median(first))} |`);
    process.stderr.write(`web-apis: ${host} ${api} done\n`);
  }
}
console.log(`Web API costs, medians of ${RUNS} runs against an app that names none (KiB)\n`);
console.log('| API | host | code in image | heap at start | heap at first use |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);
