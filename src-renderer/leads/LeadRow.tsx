// One row of the lead queue: memoized and given stable handlers, so scrolling renders only the rows that come into view.
import { memo } from 'react';
import type { MouseEvent } from 'react';
import type { LeadQueueRow } from '../../src-shared/api/leads.api';
import { LEAD_TRANSITIONS } from '../../src-shared/domain/lead-lifecycle';
import { fullName, scoreBand, shortDate, STATUS_LABELS } from './lead-format';

export const ROW_HEIGHT = 36;

/** What a row can ask of the queue; one object for every row, so it never breaks their memo. */
export interface RowHandlers {
  open(id: string): void;
  focus(index: number): void;
  select(index: number, id: string, shift: boolean): void;
  qualify(row: LeadQueueRow): void;
  disqualify(row: LeadQueueRow): void;
  logCall(row: LeadQueueRow): void;
  addTask(row: LeadQueueRow): void;
  showFactors(row: LeadQueueRow, anchor: HTMLElement): void;
}

interface Props {
  row: LeadQueueRow;
  index: number;
  top: number;
  selected: boolean;
  focused: boolean;
  ownerName: string;
  handlers: RowHandlers;
}

export const LeadRow = memo(function LeadRow({ row, index, top, selected, focused, ownerName, handlers }: Props) {
  const name = fullName(row);
  // The shared state machine says which moves exist from here; the buttons offer only those.
  const next = LEAD_TRANSITIONS[row.status];
  return (
    <div
      role="row"
      id={`lead-row-${row.id}`}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`lq-row${focused ? ' lq-focused' : ''}${selected ? ' lq-selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      data-testid="lead-row"
      data-lead-id={row.id}
      data-index={index}
      onMouseDown={() => handlers.focus(index)}
    >
      <span role="gridcell" className="lq-check">
        <input
          type="checkbox"
          aria-label={`Select ${name}`}
          checked={selected}
          onClick={(e: MouseEvent<HTMLInputElement>) => handlers.select(index, row.id, e.shiftKey)}
          onChange={() => undefined}
        />
      </span>
      <span role="gridcell" className="lq-name" title={row.email ?? undefined}>
        <button type="button" className="link" onClick={() => handlers.open(row.id)}>
          {name}
        </button>
        {row.possibleDuplicateOf && (
          <span className="lq-dup" title="Possible duplicate">
            dup
          </span>
        )}
      </span>
      <span role="gridcell" className="lq-company">{row.companyName ?? ''}</span>
      <span role="gridcell">
        <span className={`lq-status lq-status-${row.status}`} data-testid="lead-status">
          {STATUS_LABELS[row.status]}
        </span>
      </span>
      <span role="gridcell" className="lq-source">{row.source ?? ''}</span>
      <span role="gridcell" className="lq-owner">{ownerName}</span>
      <span role="gridcell">
        <button
          type="button"
          className={`lq-score lq-score-${scoreBand(row.score)}`}
          aria-label={`Score ${row.score}: show its factors`}
          data-testid="lead-score"
          onClick={(e) => handlers.showFactors(row, e.currentTarget)}
        >
          {row.score}
        </button>
      </span>
      <span role="gridcell" className="lq-date">{shortDate(row.createdAt)}</span>
      <span role="gridcell" className="lq-actions">
        <button type="button" aria-label={`Qualify ${name}`} title="Qualify (q)" disabled={!next.includes('QUALIFIED')} onClick={() => handlers.qualify(row)}>
          Qualify
        </button>
        <button type="button" aria-label={`Disqualify ${name}`} title="Disqualify (d)" disabled={!next.includes('DISQUALIFIED')} onClick={() => handlers.disqualify(row)}>
          Disqualify
        </button>
        <button type="button" aria-label={`Log a call with ${name}`} title="Log a call (c)" onClick={() => handlers.logCall(row)}>
          Call
        </button>
        <button type="button" aria-label={`Add a task for ${name}`} title="Add a task (t)" onClick={() => handlers.addTask(row)}>
          Task
        </button>
      </span>
    </div>
  );
});

/** A row whose page is on its way. */
export const PlaceholderRow = memo(function PlaceholderRow({ index, top }: { index: number; top: number }) {
  return (
    <div role="row" aria-rowindex={index + 2} aria-busy="true" className="lq-row lq-placeholder" style={{ transform: `translateY(${top}px)` }}>
      <span role="gridcell" className="lq-skeleton" />
    </div>
  );
});
