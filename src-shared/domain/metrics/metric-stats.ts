// Small numeric helpers the analytics metrics share: safe ratios, mean and median.

/** Label for rows whose grouping value is missing (no reason, no owner, unknown id). */
export const NONE = '(none)';

/** a / b, or null when b is 0 so the UI shows "—" instead of NaN or Infinity. */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/** Arithmetic mean, null for an empty list. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Median (mean of the middle two for an even count), null for an empty list. Does not modify its input. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
