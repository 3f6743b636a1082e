// One row of the lead queue: memoized and given stable handlers, so scrolling renders only the rows that come into view.
import { memo, useState } from 'react';
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
  /** Mounted during a fast scroll: drawn as text only (no controls) until the scroll settles, so a frame stays short. */
  liteAtMount: boolean;
  settled: boolean;
}

export const LeadRow = memo(function LeadRow({ row, index, top, selected, focused, ownerName, handlers, liteAtMount, settled }: Props) {
  const [lite, setLite] = useState(liteAtMount);
  if (lite && settled) setLite(false);
  const name = fullName(row);
  if (lite) return <LiteRow row={row} index={index} top={top} selected={selected} focused={focused} ownerName={ownerName} />;
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
          // The click, not the change, carries the Shift key of a range selection; the state comes from the queue.
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

/** The same row as text, for the frames of a fast scroll: a third of the elements and no form controls to lay out. */
function LiteRow({ row, index, top, selected, focused, ownerName }: Omit<Props, 'handlers' | 'liteAtMount' | 'settled'>) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`lq-row lq-lite${focused ? ' lq-focused' : ''}${selected ? ' lq-selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      data-testid="lead-row"
      data-lead-id={row.id}
      data-index={index}
    >
      <span className="lq-check" />
      <span className="lq-name">{fullName(row)}</span>
      <span>{row.companyName ?? ''}</span>
      <span className={`lq-status lq-status-${row.status}`}>{STATUS_LABELS[row.status]}</span>
      <span className="lq-source">{row.source ?? ''}</span>
      <span className="lq-owner">{ownerName}</span>
      <span className={`lq-score lq-score-${scoreBand(row.score)}`}>{row.score}</span>
      <span className="lq-date">{shortDate(row.createdAt)}</span>
    </div>
  );
}

/** A row whose page is on its way. */
export const PlaceholderRow = memo(function PlaceholderRow({ index, top }: { index: number; top: number }) {
  return (
    <div role="row" aria-rowindex={index + 2} aria-busy="true" className="lq-row lq-placeholder" style={{ transform: `translateY(${top}px)` }}>
      <span role="gridcell" className="lq-skeleton" />
    </div>
  );
});
