// The lead queue's selection (toggle, shift-click range, select all) and its keyboard map.
import { describe, expect, it } from 'vitest';
import { allState, keepLoaded, setRange, toggleOne } from '../../../src-renderer/leads/lead-selection';
import { moveFocus, queueKeyAction } from '../../../src-renderer/leads/queue-keys';
import type { KeyPress } from '../../../src-renderer/leads/queue-keys';

const IDS = ['a', 'b', undefined, 'd', 'e'];
const idAt = (i: number) => IDS[i];
const sorted = (s: Set<string>) => [...s].sort();

describe('selection', () => {
  it('toggles one lead', () => {
    expect(sorted(toggleOne(new Set(['a']), 'b'))).toEqual(['a', 'b']);
    expect(sorted(toggleOne(new Set(['a', 'b']), 'a'))).toEqual(['b']);
  });

  it.each<[string, string[], number, number, boolean, string[]]>([
    ['selects downwards, skipping rows not loaded', [], 0, 3, true, ['a', 'b', 'd']],
    ['selects upwards the same', [], 3, 0, true, ['a', 'b', 'd']],
    ['adds to what was selected', ['e'], 0, 1, true, ['a', 'b', 'e']],
    ['clears a range', ['a', 'b', 'd', 'e'], 1, 3, false, ['a', 'e']],
    ['a one-row range', [], 4, 4, true, ['e']],
  ])('shift-click %s', (_name, before, anchor, target, value, after) => {
    expect(sorted(setRange(new Set(before), idAt, anchor, target, value))).toEqual(after);
  });

  it.each<[string[], string[], string]>([
    [[], ['a', 'b'], 'none'], [['a'], ['a', 'b'], 'some'], [['a', 'b'], ['a', 'b'], 'all'], [['z'], ['a'], 'none'], [['a'], [], 'none'],
  ])('the select-all box with %j of %j is %s', (selected, loaded, state) => {
    expect(allState(new Set(selected), loaded)).toBe(state);
  });

  it('keeps only leads still loaded', () => {
    expect(sorted(keepLoaded(new Set(['a', 'z']), new Set(['a', 'b'])))).toEqual(['a']);
  });
});

describe('keyboard', () => {
  const press = (key: string, over: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, inField: false, ...over });

  it.each<[KeyPress, string | null]>([
    [press('j'), 'down'], [press('ArrowDown'), 'down'], [press('k'), 'up'], [press('ArrowUp'), 'up'], [press('Enter'), 'open'],
    [press('x'), 'toggle'], [press('/'), 'search'], [press('q'), 'qualify'], [press('d'), 'disqualify'], [press('c'), 'call'], [press('t'), 'task'],
    [press('j', { inField: true }), null], [press('/', { inField: true }), null], [press('k', { ctrlKey: true }), null], [press('x', { metaKey: true }), null],
    [press('J'), null], [press('z'), null],
  ])('%j → %s', (p, action) => {
    expect(queueKeyAction(p)).toBe(action);
  });

  it.each<[number, 'down' | 'up' | 'first' | 'last', number, number]>([
    [-1, 'down', 10, 0], [0, 'down', 10, 1], [9, 'down', 10, 9], [0, 'up', 10, 0], [5, 'up', 10, 4], [5, 'first', 10, 0], [5, 'last', 10, 9], [0, 'down', 0, -1],
  ])('from %i, %s among %i → %i', (from, action, count, to) => {
    expect(moveFocus(from, action, count)).toBe(to);
  });
});
