// The lead queue's view state, kept while the user opens a lead and comes back: filters, sort, selection, focus, scroll, rows.
import { create } from 'zustand';
import { DEFAULT_SORT, EMPTY_FILTERS } from './lead-queue.query';
import type { QueueFilters, QueueSort } from './lead-queue.query';
import { QueuePager } from './lead-queue.pager';
import { api, appState } from '../state/app-store';

export interface QueueView {
  /** The profile this state belongs to: another profile starts afresh. */
  profileId: string | null;
  filters: QueueFilters;
  order: QueueSort;
  selected: ReadonlySet<string>;
  /** The row index the keyboard works on; -1 for none. */
  focus: number;
  /** Where the list was scrolled to when the screen was left. */
  scrollTop: number;
  /** The query the pager holds rows of (JSON), so coming back refreshes them instead of starting over. */
  queryKey: string | null;
  pager: QueuePager;
}

const newPager = () => new QueuePager((input) => api().call('leads.queue', input), { onError: (err) => appState().report(err) });

const fresh = (profileId: string | null): QueueView => ({
  profileId, filters: EMPTY_FILTERS, order: DEFAULT_SORT, selected: new Set(), focus: -1, scrollTop: 0, queryKey: null, pager: newPager(),
});

export const useQueueView = create<QueueView>()(() => fresh(null));

export const queueView = (): QueueView => useQueueView.getState();
export const setQueueView = (patch: Partial<QueueView>): void => useQueueView.setState(patch);

/** Starts the profile's state afresh: another profile (or a new sign-in) gets empty filters and new rows. */
export function resetQueueView(profileId: string): void {
  useQueueView.setState(fresh(profileId));
}
