// The report's plots, as standalone SVG files: Observable Plot drawing into
// linkedom's DOM (no browser). Chosen by measuring: 15.6 MB installed with
// linkedom, against vega + vega-lite's 25 MB (and a Node run that did not
// exit) and echarts' 68 MB; the same bar chart took 120-160 ms in each.
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

/** One figure as an SVG document. */
function svg(options: Plot.PlotOptions): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const node = Plot.plot({ ...options, document: document as unknown as Document, style: { background: 'white', fontSize: '12px' } }) as unknown as Element;
  if (node.tagName.toLowerCase() !== 'svg') throw new Error('plots: a figure came out as HTML, not SVG (a legend or title?)');
  node.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${node.outerHTML}\n`;
}

/** Launch to first output per image, against the floor's launch to exit. */
export function bootByImage(rows: Array<{ name: string; ms: number; floorMs: number }>): string {
  return svg({
    marginLeft: 80, marginRight: 40, width: 680, height: 40 + rows.length * 26,
    x: { label: 'ms, QEMU launch to first console output (TCG, microvm); dashed: empty kernel to exit', grid: true },
    y: { label: null, domain: rows.map((r) => r.name) },
    marks: [
      Plot.barX(rows, { x: 'ms', y: 'name', fill: 'steelblue' }),
      Plot.tickX(rows, { x: 'floorMs', y: 'name', stroke: 'black', strokeDasharray: '3,2', strokeWidth: 2 }),
      Plot.text(rows, { x: 'ms', y: 'name', text: (r: { ms: number }) => `${Math.round(r.ms)}`, dx: 4, textAnchor: 'start' }),
      Plot.ruleX([0]),
    ],
  });
}

/** Launch to exit for the floor, mote's hello and Linux's, per machine (log scale). */
export function bootVsLinux(rows: Array<{ machine: string; what: string; ms: number }>): string {
  return svg({
    marginLeft: 110, marginRight: 80, width: 680, height: 60 + rows.length * 26,
    x: { type: 'log', label: 'ms, QEMU launch to exit (TCG, log scale)', grid: true, tickFormat: '~s' },
    y: { label: null, domain: ['floor', 'mote hello', 'linux hello'] },
    fy: { label: null, axis: 'right' },
    marks: [
      Plot.barX(rows, { x1: 10, x2: 'ms', y: 'what', fy: 'machine', fill: 'what' }),
      Plot.text(rows, { x: 'ms', y: 'what', fy: 'machine', text: (r: { ms: number }) => `${Math.round(r.ms)}`, dx: 4, textAnchor: 'start' }),
    ],
  });
}

/** Each workload on each engine against BEAM in the same run: mote's
 *  throughput over BEAM's, or BEAM's bytes per process over mote's, so that
 *  below 1 is always worse (log scale). */
export function kernelVsBeam(rows: Array<{ workload: string; engine: string; ratio: number }>): string {
  const workloads = [...new Set(rows.map((r) => r.workload))];
  const engines = [...new Set(rows.map((r) => r.engine))];
  return svg({
    marginLeft: 150, marginRight: 70, width: 760, height: 60 + workloads.length * engines.length * 16,
    x: { type: 'log', label: 'against BEAM, same run (log; 1 = BEAM, below 1 = slower or bigger)', grid: true, tickFormat: '~g' },
    y: { label: null, domain: workloads },
    fy: { label: null, axis: 'right', domain: engines },
    marks: [
      Plot.ruleX([1], { stroke: 'black' }),
      Plot.barX(rows, { x1: 1, x2: 'ratio', y: 'workload', fy: 'engine', fill: 'engine' }),
      Plot.text(rows, { x: 'ratio', y: 'workload', fy: 'engine', text: (r: { ratio: number }) => r.ratio.toPrecision(2), dx: 3, textAnchor: 'start', fontSize: 10 }),
    ],
  });
}
