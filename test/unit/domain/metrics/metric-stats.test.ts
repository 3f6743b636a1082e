import { describe, expect, it } from 'vitest';
import { mean, median, ratio } from '../../../../src-shared/domain/metrics/metric-stats';

describe('metric stats', () => {
  it.each<[number[], number | null, number | null]>([
    [[], null, null],
    [[7], 7, 7],
    [[3, 1, 2], 2, 2],
    [[10, 1, 4, 1], 4, 2.5],
    [[0.5, 0.25], 0.375, 0.375],
  ])('%j → mean %s, median %s', (values, expectedMean, expectedMedian) => {
    const copy = [...values];
    expect(mean(values)).toBe(expectedMean);
    expect(median(values)).toBe(expectedMedian);
    expect(values).toEqual(copy);
  });

  it.each<[number, number, number | null]>([
    [1, 4, 0.25],
    [0, 4, 0],
    [3, 0, null],
  ])('ratio(%s, %s) → %s', (a, b, expected) => {
    expect(ratio(a, b)).toBe(expected);
  });
});
