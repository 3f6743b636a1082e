// Saved views of the lead queue: pick one, save the current filters and sort under a name, delete one (localStorage, per profile).
import { useState } from 'react';
import type { FormEvent } from 'react';
import { deleteView, readViews, saveView, viewNameProblem, VIEW_NAME_MAX } from './saved-views';
import type { SavedView } from './saved-views';
import type { QueueFilters, QueueSort } from './lead-queue.query';
import { appState } from '../state/app-store';

interface Props {
  profileId: string;
  filters: QueueFilters;
  order: QueueSort;
  onApply(view: SavedView): void;
}

export function SavedViews({ profileId, filters, order, onApply }: Props) {
  const [views, setViews] = useState(() => readViews(localStorage, profileId));
  const [current, setCurrent] = useState('');
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const pick = (picked: string) => {
    setCurrent(picked);
    const view = views.find((v) => v.name === picked);
    if (view) onApply(view);
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    const wrong = viewNameProblem(name);
    if (wrong) return setProblem(wrong);
    try {
      setViews(saveView(localStorage, profileId, { name, filters, order }));
    } catch (err) {
      // A full or disabled localStorage: say so rather than pretend it was saved.
      return setProblem(err instanceof Error ? err.message : 'could not be stored');
    }
    setCurrent(name.trim());
    setNaming(false);
    setName('');
    setProblem(null);
    appState().notify(`View "${name.trim()}" saved`);
  };

  // The picker names the view only while the queue still shows it: a filter changed since makes it a new, unsaved view.
  const picked = views.find((v) => v.name === current);
  const showing = picked !== undefined && JSON.stringify([picked.filters, picked.order]) === JSON.stringify([filters, order]) ? current : '';

  const remove = () => {
    setViews(deleteView(localStorage, profileId, current));
    appState().notify(`View "${current}" deleted`);
    setCurrent('');
  };

  return (
    <div className="lq-views">
      <label>
        Saved view
        <select aria-label="Saved views" value={showing} onChange={(e) => pick(e.target.value)}>
          <option value="">{views.length ? 'Pick a view…' : 'No saved views'}</option>
          {views.map((v) => (
            <option key={v.name} value={v.name}>
              {v.name}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={!showing} onClick={remove} aria-label={showing ? `Delete view ${showing}` : 'Delete view'}>
        Delete
      </button>
      {naming ? (
        <form className="lq-view-form" aria-label="Save view" onSubmit={save}>
          <input
            autoFocus
            aria-label="View name"
            placeholder="View name"
            maxLength={VIEW_NAME_MAX + 1}
            value={name}
            aria-invalid={problem ? true : undefined}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setNaming(false)}
          />
          <button type="submit" className="primary">
            Save
          </button>
          <button type="button" onClick={() => setNaming(false)}>
            Cancel
          </button>
          {problem && <span className="field-error">{problem}</span>}
        </form>
      ) : (
        <button type="button" onClick={() => setNaming(true)}>
          Save view…
        </button>
      )}
    </div>
  );
}
