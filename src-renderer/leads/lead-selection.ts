// Which leads of the queue are selected: toggling one, a shift-click range, all loaded; immutable sets for React state.

/** The selection with `id` flipped. */
export function toggleOne(selected: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(selected);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/**
 * A shift-click: every loaded lead between the anchor and the clicked row (both included) takes `value`; rows not
 * loaded yet (undefined ids) are skipped.
 */
export function setRange(selected: ReadonlySet<string>, idAt: (index: number) => string | undefined, anchor: number, target: number, value: boolean): Set<string> {
  const next = new Set(selected);
  for (let i = Math.min(anchor, target); i <= Math.max(anchor, target); i++) {
    const id = idAt(i);
    if (id === undefined) continue;
    if (value) next.add(id);
    else next.delete(id);
  }
  return next;
}

export type AllState = 'none' | 'some' | 'all';

/** What the "select all loaded" box shows. */
export function allState(selected: ReadonlySet<string>, loadedIds: readonly string[]): AllState {
  if (selected.size === 0 || loadedIds.length === 0) return 'none';
  const inView = loadedIds.filter((id) => selected.has(id)).length;
  if (inView === loadedIds.length) return 'all';
  return inView > 0 ? 'some' : 'none';
}

/** Keeps only the selected leads still in the queue (after a refresh or a filter change). */
export function keepLoaded(selected: ReadonlySet<string>, loadedIds: ReadonlySet<string>): Set<string> {
  return new Set([...selected].filter((id) => loadedIds.has(id)));
}
