// Small helpers the analytics metrics share: safe ratios, mean, median and grouping rows by a key.

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
  const sorted = new Float64Array(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Row indices grouped by a key, groups in order of first appearance: group g holds rows
 * `order[start[g]] … order[start[g + 1] - 1]`, in input order. Typed arrays instead of an array per group keep
 * 200k-row histories cheap for the garbage collector, and rows already ordered by key skip the map lookup.
 */
export interface RowGroups {
  keys: string[];
  start: Int32Array;
  order: Int32Array;
}

export function groupRows<T>(rows: readonly T[], keyOf: (row: T) => string): RowGroups {
  const index = new Map<string, number>();
  const keys: string[] = [];
  const groupOf = new Int32Array(rows.length);
  let sizes = new Int32Array(64);
  let lastKey: string | undefined;
  let g = -1;
  for (let i = 0; i < rows.length; i++) {
    const key = keyOf(rows[i]!);
    if (key !== lastKey) {
      lastKey = key;
      const found = index.get(key);
      if (found !== undefined) g = found;
      else {
        g = keys.length;
        index.set(key, g);
        keys.push(key);
        if (g === sizes.length) {
          const grown = new Int32Array(sizes.length * 2);
          grown.set(sizes);
          sizes = grown;
        }
      }
    }
    groupOf[i] = g;
    sizes[g]!++;
  }
  const start = new Int32Array(keys.length + 1);
  for (let k = 0; k < keys.length; k++) start[k + 1] = start[k]! + sizes[k]!;
  const next = start.slice(0, keys.length);
  const order = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) order[next[groupOf[i]!]!++] = i;
  return { keys, start, order };
}
