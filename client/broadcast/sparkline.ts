/** A small inline SVG line chart (no library, no inline styles: the page's CSS colours it). */

const SVG = 'http://www.w3.org/2000/svg';

/**
 * A sparkline of `values` (oldest first), scaled so that `max` (or the largest value) touches the top.
 * @param width  in CSS px
 * @param height in CSS px
 */
export function sparkline(values: readonly number[], width = 96, height = 24, max = Math.max(1, ...values)): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - (Math.min(v, max) / max) * (height - 2)).toFixed(1)}`);
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points.join(' '));
  line.setAttribute('fill', 'none');
  svg.append(line);
  svg.setAttribute('aria-label', values.length ? `bitrate trend, latest ${Math.round(values.at(-1)!)} kbit/s` : 'no data yet');
  return svg;
}
