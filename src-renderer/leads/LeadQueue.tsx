// The lead queue: every lead the user may see, filtered, sorted and virtualized, with bulk assignment, quick actions and keyboard work.
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { LeadQueueRow } from '../../src-shared/api/leads.api';
import type { Lead } from '../../src-shared/domain/leads.schema';
import { api, appState, useApp, userName } from '../state/app-store';
import { useChanged } from '../hooks/useQuery';
import { buildQueueQuery, EMPTY_FILTERS, SORT_LABELS } from './lead-queue.query';
import type { QueueFilters as Filters, QueueQuery, QueueSort, SortKey } from './lead-queue.query';
import { queueView, setQueueView, useQueueView, useQueueViewFor } from './lead-queue.store';
import { allState, setRange, toggleOne } from './lead-selection';
import { KEY_HELP, moveFocus, queueKeyAction } from './queue-keys';
import { useDebounced } from './useDebounced';
import { useCsvExport } from './useCsvExport';
import { fullName } from './lead-format';
import { LeadRow, PlaceholderRow, ROW_HEIGHT } from './LeadRow';
import type { RowHandlers } from './LeadRow';
import { QueueFilters } from './QueueFilters';
import { SavedViews } from './SavedViews';
import { BulkAssignBar } from './BulkAssignBar';
import { QuickActionForm } from './QuickActionForm';
import type { QuickAction } from './QuickActionForm';
import { ScoreFactors } from './ScoreFactors';
import './lead-queue.css';

const SEARCH_DEBOUNCE_MS = 150;
/** Rows fetched beyond the visible ones, so ordinary scrolling never shows a placeholder. */
const PREFETCH_ROWS = 60;

/** The queue row fields a write's returned lead updates at once. */
const rowPatch = (lead: Lead): Partial<LeadQueueRow> => ({
  status: lead.status, score: lead.score, scoreFactors: lead.scoreFactors, ownerId: lead.ownerId, teamId: lead.teamId, updatedAt: lead.updatedAt,
  lastActivityAt: lead.lastActivityAt,
});

/** A key typed into a text field is the field's, not a shortcut (checkboxes and buttons are not fields). */
function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
}

const COLUMNS: { label: string; sort?: SortKey }[] = [
  { label: 'Name', sort: 'name' }, { label: 'Company' }, { label: 'Status' }, { label: 'Source' }, { label: 'Owner' },
  { label: 'Score', sort: 'score' }, { label: 'Created', sort: 'createdAt' }, { label: 'Actions' },
];

export function LeadQueue() {
  const profileId = useApp((s) => s.profile?.id ?? '');
  // Before the screen's parts subscribe: another profile starts from empty filters and fresh rows.
  useQueueViewFor(profileId);
  return <QueueScreen profileId={profileId} />;
}

function QueueScreen({ profileId }: { profileId: string }) {
  const users = useApp((s) => s.directory.users);
  const teams = useApp((s) => s.directory.teams);
  const filters = useQueueView((s) => s.filters);
  const order = useQueueView((s) => s.order);
  const selected = useQueueView((s) => s.selected);
  const focus = useQueueView((s) => s.focus);
  const pager = useQueueView((s) => s.pager);
  const version = useSyncExternalStore(pager.subscribe, pager.getVersion);
  const total = pager.total;

  const [action, setAction] = useState<{ kind: QuickAction; lead: LeadQueueRow } | null>(null);
  const [factors, setFactors] = useState<{ lead: LeadQueueRow; anchor: { left: number; top: number; bottom: number } } | null>(null);
  const exporter = useCsvExport();
  const searchRef = useRef<HTMLInputElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const anchor = useRef(-1);

  // The search waits for a pause in typing; every other filter applies at once.
  const search = useDebounced(filters.search, SEARCH_DEBOUNCE_MS);
  const built = useMemo(() => buildQueueQuery({ ...filters, search }, order, new Date().getTimezoneOffset()), [filters, search, order]);
  const queryKey = built.ok ? JSON.stringify(built.query) : null;

  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    initialOffset: () => queueView().scrollTop,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  // A new query starts over at the top; the same query on coming back refetches the rows it had (writes may have happened).
  const shown = useRef(false);
  useEffect(() => {
    if (queryKey === null) return;
    const view = queueView();
    if (view.queryKey === queryKey && view.pager.total !== null) {
      if (!shown.current) void view.pager.refresh();
    } else {
      setQueueView({ queryKey, selected: new Set(), focus: -1 });
      anchor.current = -1;
      virtualizer.scrollToOffset(0);
      void view.pager.setQuery(JSON.parse(queryKey) as QueueQuery);
    }
    shown.current = true;
    // Only the query matters: the virtualizer is the same object across renders.
  }, [queryKey, virtualizer]);

  useEffect(() => {
    pager.ensure(first - PREFETCH_ROWS, last + PREFETCH_ROWS);
  }, [pager, first, last, version]);

  const refresh = useCallback(() => void queueView().pager.refresh(), []);
  useChanged(['leads'], refresh);

  // Where the list was, kept for coming back from a lead.
  useEffect(() => {
    const el = scrollRef.current;
    return () => setQueueView({ scrollTop: el?.scrollTop ?? 0 });
  }, []);

  const open = useCallback((id: string) => {
    const index = queueView().pager.indexOf(id);
    setQueueView({ focus: index, scrollTop: scrollRef.current?.scrollTop ?? 0 });
    appState().navigate({ name: 'lead', id });
  }, []);

  const qualify = useCallback((row: LeadQueueRow) => {
    api()
      .call('leads.qualify', { id: row.id })
      .then((lead) => {
        queueView().pager.patchRow(lead.id, rowPatch(lead));
        appState().notify(`Qualified ${fullName(row)}`);
      }, appState().report);
  }, []);

  const handlers = useMemo<RowHandlers>(
    () => ({
      open,
      focus: (index) => setQueueView({ focus: index }),
      select: (index, id, shift) => {
        const { selected: sel, pager: p } = queueView();
        const next = shift && anchor.current >= 0 ? setRange(sel, (i) => p.rowAt(i)?.id, anchor.current, index, !sel.has(id)) : toggleOne(sel, id);
        anchor.current = index;
        setQueueView({ selected: next, focus: index });
      },
      qualify,
      disqualify: (lead) => setAction({ kind: 'disqualify', lead }),
      logCall: (lead) => setAction({ kind: 'call', lead }),
      addTask: (lead) => setAction({ kind: 'task', lead }),
      showFactors: (lead, el) => {
        const r = el.getBoundingClientRect();
        setFactors({ lead, anchor: { left: r.left, top: r.top, bottom: r.bottom } });
      },
    }),
    [open, qualify],
  );

  // The keyboard: j/k and arrows move, Enter opens, x selects, / searches, q/d/c/t act on the focused lead, s shows its score.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const t = e.target;
      if (e.key === 'Enter' && t instanceof HTMLElement && ['BUTTON', 'A', 'SUMMARY'].includes(t.tagName)) return;
      const act = queueKeyAction({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, inField: inTextField(t) });
      if (!act) return;
      const { pager: p, focus: at, selected: sel } = queueView();
      const count = p.total ?? 0;
      if (act === 'search') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      if (act === 'down' || act === 'up' || act === 'first' || act === 'last') {
        e.preventDefault();
        const next = moveFocus(at, act, count);
        if (next < 0) return;
        setQueueView({ focus: next });
        virtualizer.scrollToIndex(next, { align: 'auto' });
        if (!(document.activeElement instanceof HTMLElement) || !gridRef.current?.contains(document.activeElement)) gridRef.current?.focus({ preventScroll: true });
        return;
      }
      const row = at >= 0 ? p.rowAt(at) : undefined;
      if (!row) return;
      e.preventDefault();
      if (act === 'open') open(row.id);
      else if (act === 'toggle') {
        anchor.current = at;
        setQueueView({ selected: toggleOne(sel, row.id) });
      } else if (act === 'qualify') qualify(row);
      else if (act === 'disqualify') setAction({ kind: 'disqualify', lead: row });
      else if (act === 'call') setAction({ kind: 'call', lead: row });
      else if (act === 'task') setAction({ kind: 'task', lead: row });
      else if (act === 'scores') {
        const badge = document.querySelector<HTMLElement>(`[data-lead-id="${row.id}"] [data-testid="lead-score"]`);
        if (badge) handlers.showFactors(row, badge);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [virtualizer, open, qualify, handlers]);

  const setFilters = useCallback((patch: Partial<Filters>) => setQueueView({ filters: { ...queueView().filters, ...patch } }), []);
  const setOrder = useCallback((next: QueueSort) => setQueueView({ order: next }), []);
  const knownSources = useCallback(() => {
    const set = new Set<string>();
    for (const { row } of queueView().pager.loaded()) if (row.source) set.add(row.source);
    return [...set].sort().slice(0, 100);
  }, []);

  const loadedIds = useMemo(() => {
    void version;
    return pager.loaded().map((l) => l.row.id);
  }, [pager, version]);
  const all = allState(selected, loadedIds);
  const ownerNames = useMemo(() => new Map(users.map((u) => [u.id, u.name])), [users]);
  const focusRow = focus >= 0 ? pager.rowAt(focus) : undefined;
  const closeFactors = useCallback(() => setFactors(null), []);

  const onActionDone = (lead: Lead | null) => {
    if (lead) pager.patchRow(lead.id, rowPatch(lead));
    setAction(null);
    gridRef.current?.focus({ preventScroll: true });
  };

  return (
    <section className="lq" aria-label="Lead queue">
      <div className="lq-top">
        <h2>Leads</h2>
        <span className="lq-count" aria-live="polite">
          <span data-testid="lead-count">{total ?? ''}</span> {total === null ? 'Loading leads…' : total === 1 ? 'lead' : 'leads'}
          {total !== null && ` · by ${SORT_LABELS[order.sort].toLowerCase()}`}
        </span>
        <span className="spacer" />
        <SavedViews key={profileId} profileId={profileId} filters={filters} order={order} onApply={(v) => setQueueView({ filters: v.filters, order: v.order })} />
        {exporter.progress ? (
          <span className="lq-export" data-testid="export-progress">
            Exporting {exporter.progress.done} of {exporter.progress.total || '…'}
            <progress max={exporter.progress.total || 1} value={exporter.progress.done} />
            <button type="button" onClick={exporter.cancel}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" disabled={!built.ok || !total} onClick={() => built.ok && exporter.start(built.query)}>
            Export CSV
          </button>
        )}
      </div>
      <QueueFilters
        filters={filters}
        order={order}
        problems={built.ok ? [] : built.problems}
        users={users}
        teams={teams}
        knownSources={knownSources}
        searchRef={searchRef}
        onFilters={setFilters}
        onOrder={setOrder}
        onClear={() => setQueueView({ filters: EMPTY_FILTERS })}
      />
      {selected.size > 0 && <BulkAssignBar selected={selected} users={users} onAssigned={() => setQueueView({ selected: new Set() })} onClear={() => setQueueView({ selected: new Set() })} />}
      {action && <QuickActionForm key={`${action.kind}-${action.lead.id}`} kind={action.kind} lead={action.lead} onDone={onActionDone} onCancel={() => setAction(null)} />}
      <div
        ref={gridRef}
        className="lq-grid"
        role="grid"
        aria-label="Leads"
        aria-rowcount={(total ?? 0) + 1}
        aria-multiselectable="true"
        aria-busy={pager.loading}
        aria-activedescendant={focusRow ? `lead-row-${focusRow.id}` : undefined}
        tabIndex={0}
      >
        <div className="lq-head" role="row" aria-rowindex={1}>
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
                <button type="button" onClick={() => setOrder({ sort: c.sort!, dir: c.sort === order.sort ? (order.dir === 'asc' ? 'desc' : 'asc') : c.sort === 'name' ? 'asc' : 'desc' })}>
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
                />
              );
            })}
          </div>
        </div>
      </div>
      <p className="lq-help">{KEY_HELP}</p>
      {factors && <ScoreFactors lead={factors.lead} anchor={factors.anchor} onClose={closeFactors} />}
    </section>
  );
}
