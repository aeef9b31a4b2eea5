// Stack frames as the guest prints them, rewritten to the TypeScript they
// came from. `mote build` writes the modules' source maps beside the image
// (IMAGE.map): the guest never holds them, so mapping costs it nothing.
// `mote run` and `mote boot` read them and rewrite each frame of the
// console's output: "at inner (main.js:691:29)" hosted, "(main.js:691)" on
// metal (its QuickJS prints no column: the first mapping on the line stands
// for it), become "at inner (src/main.ts:2:9)".
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND, originalPositionFor, TraceMap, type EncodedSourceMap } from '@jridgewell/trace-mapping';
import type { SourceMapJson } from './bundle.ts';
import type { Image } from './image.ts';
import { MOTE_ROOT } from './paths.ts';

/** What IMAGE.map holds: the maps, and which build they belong to. */
interface MapFile {
  mote: 'source maps';
  /** Digest of the modules' code (codeDigest): a map from another build is not used. */
  code: string;
  /** Module name → its map, sources relative to the map file's folder. */
  modules: Record<string, SourceMapJson>;
}

export const mapPathOf = (image: string): string => `${image}.map`;

/** A digest of the payload's modules, names and code, in order. */
export function codeDigest(modules: Iterable<[string, Uint8Array]>): string {
  const h = createHash('sha256');
  for (const [name, code] of modules) h.update(name).update('\0').update(code).update('\0');
  return h.digest('hex').slice(0, 32);
}

/** An image's modules and their code, in load order: what codeDigest covers. */
export function moduleCode(img: Image): Array<[string, Uint8Array]> {
  return img.manifest.modules.map((m) => [m.name, img.files.get(m.name) ?? new Uint8Array(0)]);
}

/** Writes IMAGE.map for the modules `maps` describes (sources absolute). */
export function writeSourceMaps(image: string, maps: Map<string, SourceMapJson>, modules: Iterable<[string, Uint8Array]>): void {
  const folder = dirname(resolve(image));
  const file: MapFile = { mote: 'source maps', code: codeDigest(modules), modules: {} };
  for (const [name, map] of maps) file.modules[name] = { ...map, sources: map.sources.map((s) => relative(folder, s).split(sep).join('/')) };
  writeFileSync(mapPathOf(image), JSON.stringify(file) + '\n');
}

export type FrameRewriter = (text: string) => string;

/** The rewriter for `image`'s output, or undefined when there is no map
 *  beside it, or it belongs to another build (its lines would be wrong). */
export function frameRewriter(image: string, modules: Iterable<[string, Uint8Array]>): FrameRewriter | undefined {
  const path = mapPathOf(image);
  if (!existsSync(path)) return undefined;
  let file: MapFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as MapFile;
  } catch {
    return undefined;
  }
  if (file.mote !== 'source maps' || file.code !== codeDigest(modules)) return undefined;
  const folder = dirname(resolve(path));
  const traces = new Map(Object.entries(file.modules).map(([name, map]) => [name, new TraceMap(map as unknown as EncodedSourceMap)]));
  const shown = (source: string) => displayPath(resolve(folder, source));
  return (text) =>
    text.replace(FRAME, (whole, module: string, line: string, column: string | undefined) => {
      const trace = traces.get(module);
      if (!trace) return whole;
      const at = column
        ? originalPositionFor(trace, { line: Number(line), column: Number(column) - 1, bias: GREATEST_LOWER_BOUND })
        : originalPositionFor(trace, { line: Number(line), column: 0, bias: LEAST_UPPER_BOUND });
      if (at.source === null || at.line === null) return whole;
      return `${shown(at.source)}:${at.line}${column ? `:${(at.column ?? 0) + 1}` : ''}`;
    });
}

/** A module position in a frame: main.js:12:5, chunks/x-AB12.js:3, not a URL. */
const FRAME = /(?<![\w/.:-])((?:chunks\/)?[\w.-]+\.js):(\d+)(?::(\d+))?/g;

/** The app's files relative to where the command runs; mote's own as mote/...; a package's from its name. */
function displayPath(abs: string): string {
  const inMote = relative(MOTE_ROOT, abs);
  const nm = abs.lastIndexOf(`${sep}node_modules${sep}`);
  if (nm >= 0) return abs.slice(nm + '/node_modules/'.length).split(sep).join('/');
  if (!inMote.startsWith('..') && (inMote.startsWith('kernel') || inMote.startsWith('builder'))) return `mote/${inMote.split(sep).join('/')}`;
  const rel = relative(process.cwd(), abs);
  return (rel.startsWith('..') ? abs : rel).split(sep).join('/');
}

/** Rewrites a stream of console output line by line (a line ends at \n or
 *  \r). A partial line that could be a frame (one that starts a line
 *  indented, as QuickJS indents them) waits for its end, but never more
 *  than HOLD_MS from when it began to wait: a serial line splits writes
 *  anywhere. Anything else, such as a prompt or a key echoed mid-line, is
 *  passed on at once. */
export function lineRewriter(rewrite: FrameRewriter, write: (text: string) => void): { push(text: string): void; end(): void } {
  let held = '';
  let atLineStart = true; // nothing of the current line has been passed on
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (held) {
      write(rewrite(held));
      atLineStart = false;
    }
    held = '';
  };
  return {
    push(text) {
      const all = held + text;
      const cut = Math.max(all.lastIndexOf('\n'), all.lastIndexOf('\r')) + 1;
      const tail = all.slice(cut);
      if (cut > 0) atLineStart = true;
      held = atLineStart && /^\s/.test(tail) ? tail : '';
      const out = rewrite(all.slice(0, cut)) + (held ? '' : tail);
      if (out) write(out);
      if (tail && !held) atLineStart = false;
      if (!held) {
        clearTimeout(timer);
        timer = undefined;
      } else if (!timer || cut > 0) {
        clearTimeout(timer);
        timer = setTimeout(flush, HOLD_MS); // a new wait: the old one ended with its line
      }
    },
    end: flush,
  };
}

const HOLD_MS = 50;
