// Checks the lead being typed against the local store (so it works offline), a moment after the typing stops.
import { useEffect, useState } from 'react';
import type { DuplicateMatchOut } from '../../src-shared/api/leads.api';
import { api } from '../state/app-store';
import type { DuplicateDraft } from './duplicate-draft';

const DEBOUNCE_MS = 250;

/** The likely duplicates of `draft` (none while it is null), without `excludeId` (the lead being corrected). */
export function useDuplicateCheck(draft: DuplicateDraft | null, excludeId: string | null): DuplicateMatchOut[] {
  const [matches, setMatches] = useState<DuplicateMatchOut[]>([]);
  const key = draft === null ? null : JSON.stringify(draft);

  useEffect(() => {
    let live = true;
    // A cleared form clears the warning at once; a changed draft keeps the last answer until the new one.
    const timer = setTimeout(
      () => {
        if (key === null) return setMatches([]);
        api()
          .call('leads.findDuplicates', { draft: JSON.parse(key) as DuplicateDraft, limit: 5 })
          .then((found) => live && setMatches(found.filter((m) => m.id !== excludeId)))
          // A check is advice: when it cannot run (a value the API refuses), there is simply no warning.
          .catch(() => live && setMatches([]));
      },
      key === null ? 0 : DEBOUNCE_MS,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, excludeId]);

  return matches;
}
