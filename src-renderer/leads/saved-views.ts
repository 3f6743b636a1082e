// Saved views of the lead queue (filters and sort under a name), kept per profile in a key-value store (localStorage).
import { LEAD_STATUSES } from '../../src-shared/domain/leads.schema';
import type { LeadStatus } from '../../src-shared/domain/leads.schema';
import { DEFAULT_SORT, EMPTY_FILTERS, SORT_LABELS } from './lead-queue.query';
import type { QueueFilters, QueueSort, SortKey } from './lead-queue.query';

export interface SavedView {
  name: string;
  filters: QueueFilters;
  order: QueueSort;
}

/** The part of Storage the views need, so they can be kept anywhere. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const VIEW_NAME_MAX = 60;

export const viewsKey = (profileId: string): string => `fieldcrm.leadQueue.views.${profileId}`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stored view as far as it can be trusted: what another version (or a hand edit) left malformed falls back to the defaults. */
function reviveView(v: unknown): SavedView | null {
  if (!isRecord(v) || typeof v.name !== 'string' || v.name.trim() === '') return null;
  const f = isRecord(v.filters) ? v.filters : {};
  const filters: QueueFilters = { ...EMPTY_FILTERS };
  for (const key of Object.keys(EMPTY_FILTERS) as (keyof QueueFilters)[]) {
    const value = f[key];
    if (key === 'status') filters.status = Array.isArray(value) ? value.filter((s): s is LeadStatus => (LEAD_STATUSES as readonly unknown[]).includes(s)) : [];
    else if (typeof value === 'string') filters[key] = value;
  }
  const o = isRecord(v.order) ? v.order : {};
  const sort = typeof o.sort === 'string' && o.sort in SORT_LABELS ? (o.sort as SortKey) : DEFAULT_SORT.sort;
  const dir = o.dir === 'asc' || o.dir === 'desc' ? o.dir : DEFAULT_SORT.dir;
  return { name: v.name.trim(), filters, order: { sort, dir } };
}

/** The profile's saved views by name; unreadable storage reads as none. */
export function readViews(store: KeyValueStore, profileId: string): SavedView[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(store.getItem(viewsKey(profileId)) ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const views = parsed.map(reviveView).filter((v): v is SavedView => v !== null);
  return dedupe(views);
}

const sameName = (a: string, b: string) => a.toLocaleLowerCase() === b.toLocaleLowerCase();

function dedupe(views: SavedView[]): SavedView[] {
  const out: SavedView[] = [];
  for (const v of views) if (!out.some((o) => sameName(o.name, v.name))) out.push(v);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** What is wrong with a view name, or null when it can be saved. */
export function viewNameProblem(name: string): string | null {
  const t = name.trim();
  if (t === '') return 'a name is required';
  if (t.length > VIEW_NAME_MAX) return `at most ${VIEW_NAME_MAX} characters`;
  return null;
}

/** Saves the view (replacing one of the same name, whatever its case) and returns the profile's views. */
export function saveView(store: KeyValueStore, profileId: string, view: SavedView): SavedView[] {
  const problem = viewNameProblem(view.name);
  if (problem) throw new Error(`view name: ${problem}`);
  const name = view.name.trim();
  const views = dedupe([{ ...view, name }, ...readViews(store, profileId).filter((v) => !sameName(v.name, name))]);
  store.setItem(viewsKey(profileId), JSON.stringify(views));
  return views;
}

/** Deletes the view of that name (if any) and returns the profile's views. */
export function deleteView(store: KeyValueStore, profileId: string, name: string): SavedView[] {
  const views = readViews(store, profileId).filter((v) => !sameName(v.name, name));
  store.setItem(viewsKey(profileId), JSON.stringify(views));
  return views;
}
