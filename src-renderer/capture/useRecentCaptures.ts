// The leads captured in this window lately: their ids kept for the tab's session (a reload keeps them), the leads read fresh.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Lead } from '../../src-shared/domain/leads.schema';
import { useChanged } from '../hooks/useQuery';
import { api } from '../state/app-store';

const KEEP = 6;
const storageKey = (profileId: string) => `fieldcrm.capture.recent.${profileId}`;

function readIds(profileId: string): string[] {
  try {
    const ids: unknown = JSON.parse(sessionStorage.getItem(storageKey(profileId)) ?? '[]');
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string').slice(0, KEEP) : [];
  } catch {
    return [];
  }
}

export interface RecentCaptures {
  leads: Lead[];
  add(id: string): void;
}

export function useRecentCaptures(profileId: string): RecentCaptures {
  const [ids, setIds] = useState(() => readIds(profileId));
  const [leads, setLeads] = useState<Lead[]>([]);

  const seq = useRef(0);

  // The latest read wins; a lead merged away or no longer visible is simply not listed.
  const load = useCallback(() => {
    const mine = ++seq.current;
    void Promise.all(ids.map((id) => api().call('leads.get', { id }).catch(() => null))).then((found) => {
      if (mine === seq.current) setLeads(found.filter((l): l is Lead => l !== null));
    });
  }, [ids]);

  useEffect(load, [load]);
  useChanged(['leads'], load);

  const add = useCallback(
    (id: string) =>
      setIds((current) => {
        const next = [id, ...current.filter((x) => x !== id)].slice(0, KEEP);
        sessionStorage.setItem(storageKey(profileId), JSON.stringify(next));
        return next;
      }),
    [profileId],
  );

  return { leads, add };
}
