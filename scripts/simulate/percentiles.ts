/**
 * Summaries of a set of measurements (times in ms, rates in kbit/s): percentiles by the nearest-rank method.
 */

/**
 * The `p`-th percentile of `values` by the nearest-rank method: the smallest value such that at least `p` % of
 * the values are less than or equal to it. Always one of the values, never an interpolation.
 *
 * @param values the measurements, in any order (not modified)
 * @param p      the percentile, 0–100 (0 gives the minimum, 100 the maximum)
 * @returns the percentile, or `null` when `values` is empty
 * @throws RangeError when `p` is outside 0–100 or a value is not a finite number
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be 0-100, got ${p}`);
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError('percentile: values must be finite numbers');
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** The spread of a set of measurements; all fields share the measurements' unit. */
export interface Distribution {
  count: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * Minimum, median, 95th and 99th percentiles and maximum of `values` (nearest rank, see {@link percentile}).
 *
 * @returns the distribution, or `null` when `values` is empty
 */
export function distribution(values: readonly number[]): Distribution | null {
  if (values.length === 0) return null;
  return {
    count: values.length,
    min: percentile(values, 0)!,
    p50: percentile(values, 50)!,
    p95: percentile(values, 95)!,
    p99: percentile(values, 99)!,
    max: percentile(values, 100)!,
  };
}
