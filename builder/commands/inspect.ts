// mote inspect IMAGE [--json] [--extract DIR]
import { extractPayload } from '../extract.ts';
import { readImage } from '../image.ts';
import { inspectImage, type InspectReport } from '../inspect.ts';
import { formatSize, kib } from '../size.ts';
import { readImageFile } from './common.ts';

export interface InspectFlags {
  json?: boolean;
  extract?: string;
}

export async function inspectCommand(path: string, flags: InspectFlags): Promise<number> {
  const bytes = readImageFile(path);
  if (flags.extract) {
    const out = extractPayload(await readImage(bytes), flags.extract);
    if (flags.json) process.stdout.write(JSON.stringify({ extracted: out.root, files: out.files }, null, 2) + '\n');
    else process.stdout.write(`extracted ${out.files.length} files to ${flags.extract}\n`);
    return 0;
  }
  const report = await inspectImage(bytes);
  process.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : renderReport(path, report));
  return 0;
}

export function renderReport(path: string, r: InspectReport): string {
  const lines: string[] = [];
  lines.push(`${path}: ${r.name} ${r.version}, image format ${r.format}, ${kib(r.imageBytes)}`);
  const build = Object.entries(r.build).map(([k, v]) => `${k} ${v}`).join(', ');
  if (build) lines.push(`built with ${build}`);
  lines.push('', 'memory map');
  const width = Math.max(...r.map.map((m) => m.area.length));
  for (const row of r.map) lines.push(`  ${row.area.padEnd(width)}  ${kib(row.bytes).padStart(10)}  ${row.kind}`);
  lines.push('', 'modules (size in the image, heap when compiled)');
  for (const m of r.modules) {
    lines.push(`  ${m.name}  priority ${m.priority}  ${kib(m.size)} in image  ${kib(m.heapCost)} heap${m.error ? `  (${m.error})` : ''}`);
  }
  const web = Object.entries(r.webApis);
  if (web.length) lines.push(`web APIs in those modules: ${web.map(([name, n]) => `${name} ${kib(n)}`).join(', ')}`);
  if (r.declared) {
    const optional = Object.entries(r.declared.optional ?? {}).map(([name, need]) => `${name} ${formatSize(need)}`);
    const needs = [r.declared.min && `min ${formatSize(r.declared.min)}`, r.declared.full && `full ${formatSize(r.declared.full)}`, optional.length && `optional ${optional.join(', ')}`];
    lines.push(`declared needs: ${needs.filter(Boolean).join(', ')}`);
  }
  if (r.startNeed) lines.push(`measured start need: ${formatSize(r.startNeed)} of heap (mote build; every host refuses below it)`);
  lines.push('', 'predicted RAM (-m)');
  // Below bootMin every boot is refused (107): by the boot layer itself below
  // refusedBelow, above it by what the app needs to start.
  const { refusedBelow, bootMin } = r.predicted;
  const why = bootMin > refusedBelow ? `  (the boot layer alone would start at ${formatSize(refusedBelow)}; the app's needs raise it)` : '';
  lines.push(`  refused below        ${formatSize(bootMin)}${why}`);
  lines.push(`  boots to a console   ${formatSize(r.predicted.bootMin)}`);
  for (const m of r.predicted.optional) lines.push(`  loads ${m.name.padEnd(14)} ${formatSize(m.loadsFrom)}  (needs ${formatSize(m.need)} of heap)`);
  lines.push(`  runs fully           ${formatSize(r.predicted.fullMin)}`);
  if (!r.declared?.full) {
    // The measured figures see the loaded modules, never what the app allocates as it runs.
    lines.push(`  (${r.startNeed ? 'from the start need' : 'estimated from the compiled modules'}; what the app allocates as it runs beyond it is not seen:`);
    lines.push('   declare it in package.json, "mote": {"memory": {"min": "1M", "full": "4M"}}, for exact figures)');
  }
  return lines.join('\n') + '\n';
}

