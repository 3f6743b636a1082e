// The lead queue's filter bar: search, status, source, owner, team, score and creation ranges, sort; wrong values named at their input.
import { useState } from 'react';
import type { Ref } from 'react';
import type { DirectoryUser } from '../../src-shared/api/directory.api';
import type { Team } from '../../src-shared/domain/accounts.schema';
import { LEAD_STATUSES } from '../../src-shared/domain/leads.schema';
import type { LeadStatus } from '../../src-shared/domain/leads.schema';
import type { FieldProblem } from '../../src-shared/domain/result';
import { defaultDir, hasFilters, SORT_LABELS, UNASSIGNED } from './lead-queue.query';
import type { QueueFilters as Filters, QueueSort, SortKey } from './lead-queue.query';
import { STATUS_LABELS } from './lead-format';

interface Props {
  filters: Filters;
  order: QueueSort;
  problems: readonly FieldProblem[];
  users: readonly DirectoryUser[];
  teams: readonly Team[];
  /** Sources seen in the queue, offered as suggestions (asked for when the source box gets focus). */
  knownSources(): string[];
  searchRef: Ref<HTMLInputElement>;
  onFilters(patch: Partial<Filters>): void;
  onOrder(order: QueueSort): void;
  onClear(): void;
}

function Problem({ path, problems }: { path: keyof Filters; problems: readonly FieldProblem[] }) {
  const p = problems.find((x) => x.path === path);
  return p ? (
    <span className="field-error" id={`lq-err-${path}`}>
      {p.message}
    </span>
  ) : null;
}

const invalid = (path: keyof Filters, problems: readonly FieldProblem[]) =>
  problems.some((p) => p.path === path) ? { 'aria-invalid': true, 'aria-describedby': `lq-err-${path}` } : {};

export function QueueFilters({ filters, order, problems, users, teams, knownSources, searchRef, onFilters, onOrder, onClear }: Props) {
  const [sources, setSources] = useState<string[]>([]);
  return (
    <div className="lq-filters" role="search" aria-label="Lead filters">
      <label className="lq-search">
        Search
        <input
          ref={searchRef}
          type="search"
          aria-label="Search leads"
          placeholder="Name, email or company  ( / )"
          value={filters.search}
          maxLength={200}
          onChange={(e) => onFilters({ search: e.target.value })}
          {...invalid('search', problems)}
        />
        <Problem path="search" problems={problems} />
      </label>
      <label>
        Status
        <select
          multiple
          size={3}
          aria-label="Status filter"
          title="Ctrl-click to pick several"
          value={filters.status}
          onChange={(e) => onFilters({ status: [...e.target.selectedOptions].map((o) => o.value as LeadStatus) })}
        >
          {LEAD_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Source
        <input
          aria-label="Source filter"
          list="lq-sources"
          placeholder="any (a, b)"
          value={filters.source}
          onFocus={() => setSources(knownSources())}
          onChange={(e) => onFilters({ source: e.target.value })}
          {...invalid('source', problems)}
        />
        <datalist id="lq-sources">
          {sources.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <Problem path="source" problems={problems} />
      </label>
      <label>
        Owner
        <select aria-label="Owner filter" value={filters.owner} onChange={(e) => onFilters({ owner: e.target.value })}>
          <option value="">Any owner</option>
          <option value={UNASSIGNED}>Unassigned</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
              {u.active ? '' : ' (inactive)'}
            </option>
          ))}
        </select>
      </label>
      <label>
        Team
        <select aria-label="Team filter" value={filters.team} onChange={(e) => onFilters({ team: e.target.value })}>
          <option value="">Any team</option>
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="lq-range">
        <legend>Score</legend>
        <input aria-label="Minimum score" inputMode="numeric" placeholder="0" value={filters.scoreMin} onChange={(e) => onFilters({ scoreMin: e.target.value })} {...invalid('scoreMin', problems)} />
        –
        <input aria-label="Maximum score" inputMode="numeric" placeholder="100" value={filters.scoreMax} onChange={(e) => onFilters({ scoreMax: e.target.value })} {...invalid('scoreMax', problems)} />
        <Problem path="scoreMin" problems={problems} />
        <Problem path="scoreMax" problems={problems} />
      </fieldset>
      <fieldset className="lq-range">
        <legend>Created</legend>
        <input type="date" aria-label="Created from" value={filters.createdFrom} onChange={(e) => onFilters({ createdFrom: e.target.value })} {...invalid('createdFrom', problems)} />
        –
        <input type="date" aria-label="Created to" value={filters.createdTo} onChange={(e) => onFilters({ createdTo: e.target.value })} {...invalid('createdTo', problems)} />
        <Problem path="createdFrom" problems={problems} />
        <Problem path="createdTo" problems={problems} />
      </fieldset>
      <label>
        Sort by
        <span className="lq-sort">
          <select aria-label="Sort by" value={order.sort} onChange={(e) => onOrder({ sort: e.target.value as SortKey, dir: defaultDir(e.target.value as SortKey) })}>
            {(Object.keys(SORT_LABELS) as SortKey[]).map((k) => (
              <option key={k} value={k}>
                {SORT_LABELS[k]}
              </option>
            ))}
          </select>
          <button
            type="button"
            aria-label={order.dir === 'asc' ? 'Ascending: sort descending' : 'Descending: sort ascending'}
            onClick={() => onOrder({ ...order, dir: order.dir === 'asc' ? 'desc' : 'asc' })}
          >
            {order.dir === 'asc' ? '↑' : '↓'}
          </button>
        </span>
      </label>
      <button type="button" className="link lq-clear" disabled={!hasFilters(filters)} onClick={onClear}>
        Clear filters
      </button>
    </div>
  );
}
