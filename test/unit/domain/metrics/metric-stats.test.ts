import { describe, expect, it } from 'vitest';
import { groupRows, mean, median, ratio } from '../../../../src-shared/domain/metrics/metric-stats';

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

describe('groupRows', () => {
  const groupsOf = (keys: string[]) => {
    const { keys: groupKeys, start, order } = groupRows(keys, (k) => k);
    return groupKeys.map((key, g) => [key, [...order.subarray(start[g]!, start[g + 1]!)]]);
  };

  it.each<[string, string[], [string, number[]][]]>([
    ['no rows', [], []],
    ['rows already grouped', ['a', 'a', 'b'], [['a', [0, 1]], ['b', [2]]]],
    ['interleaved rows, groups in first-seen order', ['b', 'a', 'b', 'c', 'a'], [['b', [0, 2]], ['a', [1, 4]], ['c', [3]]]],
  ])('%s', (_, keys, expected) => {
    expect(groupsOf(keys)).toEqual(expected);
  });

  it('copes with more groups than its initial capacity', () => {
    const keys = Array.from({ length: 200 }, (_, i) => `k${i % 100}`);
    const groups = groupsOf(keys);
    expect(groups).toHaveLength(100);
    expect(groups[99]).toEqual(['k99', [99, 199]]);
  });
});
