/**
 * A tiny SVG 1.1 line-chart writer for the benchmark's report: one x axis, one y axis, a few series of points drawn
 * as lines with markers, an optional dashed reference line, a legend. Self-contained text, no scripts, no fonts to
 * load, so GitHub renders it from the README.
 */

export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** A dashed horizontal line, e.g. a floor or a target. */
  reference?: { label: string; y: number };
}

const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = { left: 64, right: 20, top: 40, bottom: 52 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

/** Escape text for SVG content and attributes. */
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** About five round tick values (1, 2 or 5 × 10^k apart) from 0 to at least `max`. */
export function ticks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = 0; v < max + step; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * Draw a line chart.
 *
 * @param spec title, axis labels, series (x and y in the axes' units), optional reference line
 * @returns an SVG document
 */
export function lineChart(spec: ChartSpec): string {
  const points = spec.series.flatMap((s) => s.points);
  const xTicks = ticks(Math.max(1, ...points.map(([x]) => x)));
  const yTicks = ticks(Math.max(1, ...points.map(([, y]) => y), spec.reference?.y ?? 0));
  const xMax = xTicks[xTicks.length - 1]!;
  const yMax = yTicks[yTicks.length - 1]!;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => (MARGIN.left + (x / xMax) * plotW).toFixed(1);
  const sy = (y: number) => (MARGIN.top + plotH - (y / yMax) * plotH).toFixed(1);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(spec.title)}</text>`,
  ];
  for (const y of yTicks) {
    out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${sy(y)}" y2="${sy(y)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${sy(y)}" text-anchor="end" dominant-baseline="middle">${y}</text>`);
  }
  for (const x of xTicks) out.push(`<text x="${sx(x)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${x}</text>`);
  out.push(
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${sy(0)}" y2="${sy(0)}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${sy(0)}" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escape(spec.xLabel)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(spec.yLabel)}</text>`,
  );
  if (spec.reference) {
    const y = sy(spec.reference.y);
    out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}" stroke="#555" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${WIDTH - MARGIN.right - 4}" y="${Number(y) - 5}" text-anchor="end" fill="#555">${escape(spec.reference.label)}</text>`);
  }
  spec.series.forEach((series, i) => {
    const color = COLORS[i % COLORS.length]!;
    const path = series.points.map(([x, y]) => `${sx(x)},${sy(y)}`).join(' ');
    if (series.points.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${path}"/>`);
    for (const [x, y] of series.points) out.push(`<circle cx="${sx(x)}" cy="${sy(y)}" r="3" fill="${color}"/>`);
    const ly = MARGIN.top + 6 + i * 16;
    out.push(`<rect x="${MARGIN.left + 10}" y="${ly - 5}" width="14" height="3" fill="${color}"/>`);
    out.push(`<text x="${MARGIN.left + 30}" y="${ly}" dominant-baseline="middle">${escape(series.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
