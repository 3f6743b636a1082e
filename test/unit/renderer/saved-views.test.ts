// Saved views of the lead queue: per profile, by name (case-insensitive), tolerant of whatever storage holds.
import { describe, expect, it } from 'vitest';
import { deleteView, readViews, saveView, viewNameProblem, viewsKey } from '../../../src-renderer/leads/saved-views';
import type { KeyValueStore, SavedView } from '../../../src-renderer/leads/saved-views';
import { DEFAULT_SORT, EMPTY_FILTERS } from '../../../src-renderer/leads/lead-queue.query';

/** localStorage's contract, in memory. */
class MemoryStore implements KeyValueStore {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

const view = (name: string, over: Partial<SavedView> = {}): SavedView => ({ name, filters: { ...EMPTY_FILTERS }, order: DEFAULT_SORT, ...over });
const names = (views: SavedView[]) => views.map((v) => v.name);

describe('saved views', () => {
  it('saves, lists by name, and reads back what was saved', () => {
    const store = new MemoryStore();
    saveView(store, 'p1', view('Hot leads', { filters: { ...EMPTY_FILTERS, scoreMin: '70', status: ['NEW'] }, order: { sort: 'updatedAt', dir: 'asc' } }));
    saveView(store, 'p1', view('  Unassigned  ', { filters: { ...EMPTY_FILTERS, owner: 'unassigned' } }));
    const views = readViews(store, 'p1');
    expect(names(views)).toEqual(['Hot leads', 'Unassigned']);
    expect(views[0]).toEqual(view('Hot leads', { filters: { ...EMPTY_FILTERS, scoreMin: '70', status: ['NEW'] }, order: { sort: 'updatedAt', dir: 'asc' } }));
  });

  it('keeps each profile\'s views apart', () => {
    const store = new MemoryStore();
    saveView(store, 'p1', view('Mine'));
    expect(readViews(store, 'p2')).toEqual([]);
    expect([...store.items.keys()]).toEqual([viewsKey('p1')]);
  });

  it('replaces a view of the same name, whatever its case', () => {
    const store = new MemoryStore();
    saveView(store, 'p1', view('Hot', { filters: { ...EMPTY_FILTERS, scoreMin: '50' } }));
    const views = saveView(store, 'p1', view('HOT', { filters: { ...EMPTY_FILTERS, scoreMin: '80' } }));
    expect(views).toEqual([view('HOT', { filters: { ...EMPTY_FILTERS, scoreMin: '80' } })]);
  });

  it('deletes by name and leaves the others', () => {
    const store = new MemoryStore();
    saveView(store, 'p1', view('A'));
    saveView(store, 'p1', view('B'));
    expect(names(deleteView(store, 'p1', 'a'))).toEqual(['B']);
    expect(names(readViews(store, 'p1'))).toEqual(['B']);
  });

  it.each<[string, string, string | null]>([
    ['blank', '   ', 'a name is required'], ['too long', 'x'.repeat(61), 'at most 60 characters'], ['fine', 'East, hot', null],
  ])('names a wrong view name: %s', (_name, name, problem) => {
    expect(viewNameProblem(name)).toBe(problem);
    if (problem) expect(() => saveView(new MemoryStore(), 'p1', view(name))).toThrow(`view name: ${problem}`);
  });

  it.each<[string, string, string[]]>([
    ['not JSON', '{oops', []],
    ['not a list', '{"name":"x"}', []],
    ['entries without a name dropped', '[{"filters":{}},{"name":"Kept"}]', ['Kept']],
    ['duplicate names kept once', '[{"name":"A"},{"name":"a"}]', ['A']],
  ])('reads damaged storage without failing: %s', (_name, raw, expected) => {
    const store = new MemoryStore();
    store.setItem(viewsKey('p1'), raw);
    expect(names(readViews(store, 'p1'))).toEqual(expected);
  });

  it('fills what an older or hand-edited view lacks with the defaults, and drops unknown statuses', () => {
    const store = new MemoryStore();
    store.setItem(viewsKey('p1'), JSON.stringify([{ name: 'Old', filters: { status: ['NEW', 'LOST'], search: 'acme', scoreMin: 5 }, order: { sort: 'size', dir: 'up' } }]));
    expect(readViews(store, 'p1')).toEqual([view('Old', { filters: { ...EMPTY_FILTERS, status: ['NEW'], search: 'acme' } })]);
  });
});
