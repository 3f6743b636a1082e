// The lead queue's virtualized grid: the header, the rows in view (placeholders while their page comes), and the keyboard.
// Kept apart from the toolbar so a scroll frame re-renders only this, and only the rows that came into view.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { RefObject } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { DirectoryUser } from '../../src-shared/api/directory.api';
import { useChanged } from '../hooks/useQuery';
import { userName } from '../state/app-store';
import type { QueuePager } from './lead-queue.pager';
import { defaultDir } from './lead-queue.query';
import type { QueueQuery, QueueSort, SortKey } from './lead-queue.query';
import { queueView, setQueueView, useQueueView } from './lead-queue.store';
import { allState, toggleOne } from './lead-selection';
import { moveFocus, queueKeyAction } from './queue-keys';
import { LeadRow, PlaceholderRow, ROW_HEIGHT } from './LeadRow';
import type { RowHandlers } from './LeadRow';

/** Rows fetched beyond the visible ones, so ordinary scrolling never shows a placeholder. */
const PREFETCH_ROWS = 60;
const FLING_FETCH_DELAY_MS = 80;

const COLUMNS: { label: string; sort?: SortKey }[] = [
  { label: 'Name', sort: 'name' }, { label: 'Company' }, { label: 'Status' }, { label: 'Source' }, { label: 'Owner' },
  { label: 'Score', sort: 'score' }, { label: 'Created', sort: 'createdAt' }, { label: 'Actions' },
];

/** A key typed into a text field is the field's, not a shortcut (checkboxes and buttons are not fields). */
function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
}

interface Props {
  pager: QueuePager;
  /** The query to show (null while a filter is wrong: the rows stay as they were); its JSON is `queryKey`. */
  query: QueueQuery | null;
  queryKey: string | null;
  order: QueueSort;
  users: readonly DirectoryUser[];
  handlers: RowHandlers;
  searchRef: RefObject<HTMLInputElement | null>;
  onOrder(order: QueueSort): void;
}

export const QueueGrid = memo(function QueueGrid({ pager, query, queryKey, order, users, handlers, searchRef, onOrder }: Props) {
  const version = useSyncExternalStore(pager.subscribe, pager.getVersion);
  const selected = useQueueView((s) => s.selected);
  const focus = useQueueView((s) => s.focus);
  const total = pager.total;
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 3,
    initialOffset: () => queueView().scrollTop,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  // A fast scroll (the view jumped more than a few rows since the last render) mounts rows light; they fill in once it settles.
  const lastFirst = useRef(first);
  const fast = virtualizer.isScrolling && Math.abs(first - lastFirst.current) > 3;
  useEffect(() => {
    lastFirst.current = first;
  });

  // A new query starts over at the top; the same query on coming back refetches the rows it had (writes may have happened).
  const shown = useRef(false);
  useEffect(() => {
    if (queryKey === null || query === null) return;
    const view = queueView();
    if (view.queryKey === queryKey && view.pager.total !== null) {
      if (!shown.current) void view.pager.refresh();
    } else {
      setQueueView({ queryKey, selected: new Set(), focus: -1 });
      if (shown.current) virtualizer.scrollToOffset(0);
      void view.pager.setQuery(query);
    }
    shown.current = true;
    // Only the query's identity (its JSON) matters; the virtualizer is one object for the grid's life.
  }, [queryKey, query, virtualizer]);

  // While the list flies past (a dragged scrollbar, a fling) pages are asked only once it slows down: fetching every
  // page crossed would load the host for rows nobody sees.
  useEffect(() => {
    if (!fast) return pager.ensure(first - PREFETCH_ROWS, last + PREFETCH_ROWS);
    const timer = setTimeout(() => pager.ensure(first - PREFETCH_ROWS, last + PREFETCH_ROWS), FLING_FETCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [pager, first, last, version, fast]);

  // Re-query when a write (here, by sync, by another window) touches leads, keeping the rows in view.
  const refresh = useCallback(() => void pager.refresh(), [pager]);
  useChanged(['leads'], refresh);

  // Where the list was, kept for coming back from a lead.
  useEffect(() => {
    const el = scrollRef.current;
    return () => setQueueView({ scrollTop: el?.scrollTop ?? 0 });
  }, []);

  // The keyboard: j/k and arrows move, Enter opens, x selects, / searches, q/d/c/t act on the focused lead, s shows its score.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const t = e.target;
      if (e.key === 'Enter' && t instanceof HTMLElement && ['BUTTON', 'A', 'SUMMARY'].includes(t.tagName)) return;
      const act = queueKeyAction({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, inField: inTextField(t) });
      if (!act) return;
      const { pager: p, focus: at, selected: sel } = queueView();
      if (act === 'search') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      if (act === 'down' || act === 'up' || act === 'first' || act === 'last') {
        e.preventDefault();
        const next = moveFocus(at, act, p.total ?? 0);
        if (next < 0) return;
        setQueueView({ focus: next });
        virtualizer.scrollToIndex(next, { align: 'auto' });
        if (!gridRef.current?.contains(document.activeElement)) gridRef.current?.focus({ preventScroll: true });
        return;
      }
      const row = at >= 0 ? p.rowAt(at) : undefined;
      if (!row) return;
      e.preventDefault();
      if (act === 'open') handlers.open(row.id);
      else if (act === 'toggle') setQueueView({ selected: toggleOne(sel, row.id) });
      else if (act === 'qualify') handlers.qualify(row);
      else if (act === 'disqualify') handlers.disqualify(row);
      else if (act === 'call') handlers.logCall(row);
      else if (act === 'task') handlers.addTask(row);
      else {
        const badge = document.querySelector<HTMLElement>(`[data-lead-id="${row.id}"] [data-testid="lead-score"]`);
        if (badge) handlers.showFactors(row, badge);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [virtualizer, handlers, searchRef]);

  // The header spans the rows' width: as wide as the list less its scrollbar (whose width depends on the platform).
  const [gutter, setGutter] = useState(0);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el) setGutter(el.offsetWidth - el.clientWidth);
  }, [total]);

  const loadedIds = useMemo(() => {
    void version;
    return pager.loaded().map((l) => l.row.id);
  }, [pager, version]);
  const all = allState(selected, loadedIds);
  const ownerNames = useMemo(() => new Map(users.map((u) => [u.id, u.name])), [users]);
  const focusRow = focus >= 0 ? pager.rowAt(focus) : undefined;

  return (
    <div
      ref={gridRef}
      className="lq-grid"
      role="grid"
      aria-label="Leads"
      aria-rowcount={(total ?? 0) + 1}
      aria-multiselectable="true"
      aria-busy={pager.replacing}
      data-sort={pager.currentQuery()?.sort}
      aria-activedescendant={focusRow ? `lead-row-${focusRow.id}` : undefined}
      tabIndex={0}
    >
      <div className="lq-head" role="row" aria-rowindex={1} style={{ paddingRight: gutter }}>
        <span role="columnheader">
          <input
            type="checkbox"
            aria-label="Select all loaded leads"
            checked={all === 'all'}
            ref={(el) => {
              if (el) el.indeterminate = all === 'some';
            }}
            disabled={loadedIds.length === 0}
            onChange={() => setQueueView({ selected: all === 'all' ? new Set() : new Set([...selected, ...loadedIds]) })}
          />
        </span>
        {COLUMNS.map((c) => (
          <span key={c.label} role="columnheader" aria-sort={c.sort && c.sort === order.sort ? (order.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
            {c.sort ? (
              <button type="button" onClick={() => onOrder({ sort: c.sort!, dir: c.sort === order.sort ? (order.dir === 'asc' ? 'desc' : 'asc') : defaultDir(c.sort!) })}>
                {c.label}
              </button>
            ) : (
              c.label
            )}
          </span>
        ))}
      </div>
      <div ref={scrollRef} className="lq-scroll" role="rowgroup" data-testid="lead-queue-scroll">
        {total === 0 && <p className="lq-empty">No leads match these filters.</p>}
        <div className="lq-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = pager.rowAt(item.index);
            if (!row) return <PlaceholderRow key={item.index} index={item.index} top={item.start} />;
            return (
              <LeadRow
                key={item.index}
                row={row}
                index={item.index}
                top={item.start}
                selected={selected.has(row.id)}
                focused={item.index === focus}
                ownerName={row.ownerId ? (ownerNames.get(row.ownerId) ?? userName(users, row.ownerId)) : 'Unassigned'}
                handlers={handlers}
                liteAtMount={fast}
                settled={!virtualizer.isScrolling}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
});
