// The bar over a selection of leads: how many are selected, and assigning them all to one user (or to nobody).
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { DirectoryUser } from '../../src-shared/api/directory.api';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { api, appState, userName } from '../state/app-store';
import { UNASSIGNED } from './lead-queue.query';

/** What one `leads.assign` takes; a bigger selection is refused here rather than written in parts. */
export const ASSIGN_MAX = 5000;

interface Props {
  selected: ReadonlySet<string>;
  users: readonly DirectoryUser[];
  onAssigned(): void;
  onClear(): void;
}

export function BulkAssignBar({ selected, users, onAssigned, onClear }: Props) {
  const [owner, setOwner] = useState('');
  const [busy, setBusy] = useState(false);
  const n = selected.size;

  const assign = async (e: FormEvent) => {
    e.preventDefault();
    if (owner === '') return;
    if (n > ASSIGN_MAX) return appState().report(new AppError(ErrorCode.VALIDATION, `${n} leads are selected: assign at most ${ASSIGN_MAX} at once`));
    const ownerId = owner === UNASSIGNED ? null : owner;
    setBusy(true);
    try {
      const { updated } = await api().call('leads.assign', { ids: [...selected], ownerId });
      const to = ownerId === null ? 'nobody (unassigned)' : userName(users, ownerId);
      appState().notify(`${updated} ${updated === 1 ? 'lead' : 'leads'} assigned to ${to}`);
      onAssigned();
    } catch (err) {
      appState().report(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="lq-bulk" aria-label="Bulk actions" onSubmit={(e) => void assign(e)}>
      <span data-testid="selected-count">{n}</span> selected
      <label>
        Assign to
        <select aria-label="Assign to" value={owner} onChange={(e) => setOwner(e.target.value)}>
          <option value="">Choose a user…</option>
          {users
            .filter((u) => u.active)
            .map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          <option value={UNASSIGNED}>Nobody (unassign)</option>
        </select>
      </label>
      <button type="submit" className="primary" disabled={busy || owner === ''}>
        Assign {n}
      </button>
      <button type="button" onClick={onClear}>
        Clear selection
      </button>
    </form>
  );
}
