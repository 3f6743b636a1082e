// What merging two leads keeps: per field, whose value wins and what it is, and the choices that make leads.merge do exactly that.
import { LEAD_FIELD_KEYS } from '../../src-shared/mutators/lead-args';
import type { LeadFields } from '../../src-shared/mutators/lead-args';

export type MergeField = keyof LeadFields;
export type MergeSide = 'winner' | 'loser';
export type MergePicks = Partial<Record<MergeField, MergeSide>>;
export type MergeValues = Record<MergeField, string | null>;

export interface MergeRow {
  field: MergeField;
  winnerValue: string | null;
  loserValue: string | null;
  /** What leads.merge does unasked: the winner's value, or the other's where the winner's is empty. */
  defaultSide: MergeSide;
  /** The side kept: the user's pick where the values differ, else the default. */
  side: MergeSide;
  kept: string | null;
  /** Only then is there anything to pick. */
  differs: boolean;
}

const isEmpty = (v: string | null | undefined) => v == null || v === '';

/** One row per editable lead field, in the form's order. */
export function mergePreview(winner: MergeValues, loser: MergeValues, picks: MergePicks = {}): MergeRow[] {
  return LEAD_FIELD_KEYS.map((field) => {
    const winnerValue = isEmpty(winner[field]) ? null : winner[field];
    const loserValue = isEmpty(loser[field]) ? null : loser[field];
    const defaultSide: MergeSide = winnerValue === null ? 'loser' : 'winner';
    const differs = winnerValue !== loserValue;
    const side = differs ? (picks[field] ?? defaultSide) : defaultSide;
    return { field, winnerValue, loserValue, defaultSide, side, kept: side === 'winner' ? winnerValue : loserValue, differs };
  });
}

/**
 * The `fields` argument of leads.merge: every field whose values differ, named explicitly, so the merge keeps what
 * the preview showed even if a default would now pick differently.
 */
export function mergeChoicesOf(rows: readonly MergeRow[]): MergePicks {
  const out: MergePicks = {};
  for (const row of rows) if (row.differs) out[row.field] = row.side;
  return out;
}
