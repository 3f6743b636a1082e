// The lead queue: every lead the user may see, filtered, sorted and virtualized, with bulk assignment, quick actions and keyboard work.
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { LeadQueueRow } from '../../src-shared/api/leads.api';
import type { FieldProblem } from '../../src-shared/domain/result';
import type { Lead } from '../../src-shared/domain/leads.schema';
import { api, appState, useApp } from '../state/app-store';
import { buildQueueQuery, EMPTY_FILTERS, SORT_LABELS } from './lead-queue.query';
import type { QueueFilters as Filters, QueueSort } from './lead-queue.query';
import { queueView, resetQueueView, setQueueView, useQueueView } from './lead-queue.store';
import { setRange, toggleOne } from './lead-selection';
import { KEY_HELP } from './queue-keys';
import { useDebounced } from './useDebounced';
import { useCsvExport } from './useCsvExport';
import { fullName } from './lead-format';
import type { RowHandlers } from './LeadRow';
import { QueueFilters } from './QueueFilters';
import { QueueGrid } from './QueueGrid';
import { SavedViews } from './SavedViews';
import type { SavedView } from './saved-views';
import { BulkAssignBar } from './BulkAssignBar';
import { QuickActionForm } from './QuickActionForm';
import type { QuickAction } from './QuickActionForm';
import { ScoreFactors } from './ScoreFactors';
import './lead-queue.css';

const TYPING_DEBOUNCE_MS = 150;
const NO_PROBLEMS: readonly FieldProblem[] = [];

/** The queue row fields a write's returned lead updates at once. */
const rowPatch = (lead: Lead): Partial<LeadQueueRow> => ({
  status: lead.status, score: lead.score, scoreFactors: lead.scoreFactors, ownerId: lead.ownerId, teamId: lead.teamId, updatedAt: lead.updatedAt,
  lastActivityAt: lead.lastActivityAt,
});

// The toolbar's parts re-render only when what they show changes, never on a scroll or a page arriving.
const FilterBar = memo(QueueFilters);
const Views = memo(SavedViews);
const Bulk = memo(BulkAssignBar);

const setFilters = (patch: Partial<Filters>) => setQueueView({ filters: { ...queueView().filters, ...patch } });
const setOrder = (order: QueueSort) => setQueueView({ order });
const clearFilters = () => setQueueView({ filters: EMPTY_FILTERS });
const applyView = (v: SavedView) => setQueueView({ filters: v.filters, order: v.order });
const clearSelection = () => setQueueView({ selected: new Set() });
const knownSources = () => {
  const set = new Set<string>();
  for (const { row } of queueView().pager.loaded()) if (row.source) set.add(row.source);
  return [...set].sort().slice(0, 100);
};

export function LeadQueue() {
  const profileId = useApp((s) => s.profile?.id ?? '');
  const viewOf = useQueueView((s) => s.profileId);
  // The state kept from before belongs to another profile: start afresh before the screen shows.
  useLayoutEffect(() => {
    if (viewOf !== profileId) resetQueueView(profileId);
  }, [viewOf, profileId]);
  return viewOf === profileId ? <QueueScreen profileId={profileId} /> : null;
}

function QueueScreen({ profileId }: { profileId: string }) {
  const users = useApp((s) => s.directory.users);
  const teams = useApp((s) => s.directory.teams);
  const filters = useQueueView((s) => s.filters);
  const order = useQueueView((s) => s.order);
  const selected = useQueueView((s) => s.selected);
  const pager = useQueueView((s) => s.pager);
  const total = useSyncExternalStore(pager.subscribe, () => pager.total);

  const [action, setAction] = useState<{ kind: QuickAction; lead: LeadQueueRow } | null>(null);
  const [factors, setFactors] = useState<{ lead: LeadQueueRow; anchor: { left: number; top: number; bottom: number } } | null>(null);
  const exporter = useCsvExport();
  const searchRef = useRef<HTMLInputElement>(null);
  const anchor = useRef(-1);

  // The typed filters (search, sources) wait for a pause in typing; the others apply at once.
  const search = useDebounced(filters.search, TYPING_DEBOUNCE_MS);
  const source = useDebounced(filters.source, TYPING_DEBOUNCE_MS);
  const built = useMemo(() => buildQueueQuery({ ...filters, search, source }, order, new Date().getTimezoneOffset()), [filters, search, source, order]);
  const query = built.ok ? built.query : null;
  const queryKey = query ? JSON.stringify(query) : null;

  const handlers = useMemo<RowHandlers>(
    () => ({
      open: (id) => {
        setQueueView({ focus: queueView().pager.indexOf(id) });
        appState().navigate({ name: 'lead', id });
      },
      focus: (index) => setQueueView({ focus: index }),
      select: (index, id, shift) => {
        const { selected: sel, pager: p } = queueView();
        const next = shift && anchor.current >= 0 ? setRange(sel, (i) => p.rowAt(i)?.id, anchor.current, index, !sel.has(id)) : toggleOne(sel, id);
        anchor.current = index;
        setQueueView({ selected: next, focus: index });
      },
      qualify: (row) => {
        api()
          .call('leads.qualify', { id: row.id })
          .then((lead) => {
            queueView().pager.patchRow(lead.id, rowPatch(lead));
            appState().notify(`Qualified ${fullName(row)}`);
          }, appState().report);
      },
      disqualify: (lead) => setAction({ kind: 'disqualify', lead }),
      logCall: (lead) => setAction({ kind: 'call', lead }),
      addTask: (lead) => setAction({ kind: 'task', lead }),
      showFactors: (lead, el) => {
        const r = el.getBoundingClientRect();
        setFactors({ lead, anchor: { left: r.left, top: r.top, bottom: r.bottom } });
      },
    }),
    [],
  );

  const closeFactors = useCallback(() => setFactors(null), []);
  const onActionDone = (lead: Lead | null) => {
    if (lead) pager.patchRow(lead.id, rowPatch(lead));
    setAction(null);
    document.querySelector<HTMLElement>('.lq-grid')?.focus({ preventScroll: true });
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
        <Views key={profileId} profileId={profileId} filters={filters} order={order} onApply={applyView} />
        {exporter.progress ? (
          <span className="lq-export" data-testid="export-progress">
            Exporting {exporter.progress.done} of {exporter.progress.total || '…'}
            <progress max={exporter.progress.total || 1} value={exporter.progress.done} />
            <button type="button" onClick={exporter.cancel}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" disabled={!query || !total} onClick={() => query && exporter.start(query)}>
            Export CSV
          </button>
        )}
      </div>
      <FilterBar
        filters={filters}
        order={order}
        problems={built.ok ? NO_PROBLEMS : built.problems}
        users={users}
        teams={teams}
        knownSources={knownSources}
        searchRef={searchRef}
        onFilters={setFilters}
        onOrder={setOrder}
        onClear={clearFilters}
      />
      {selected.size > 0 && <Bulk selected={selected} users={users} onAssigned={clearSelection} onClear={clearSelection} />}
      {action && <QuickActionForm key={`${action.kind}-${action.lead.id}`} kind={action.kind} lead={action.lead} onDone={onActionDone} onCancel={() => setAction(null)} />}
      <QueueGrid pager={pager} query={query} queryKey={queryKey} order={order} users={users} handlers={handlers} searchRef={searchRef} onOrder={setOrder} />
      <p className="lq-help">{KEY_HELP}</p>
      {factors && <ScoreFactors lead={factors.lead} anchor={factors.anchor} onClose={closeFactors} />}
    </section>
  );
}
