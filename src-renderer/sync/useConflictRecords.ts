// The records the open conflicts are about (their names, a deal's currency) and the stage names, for showing conflicts in words.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Conflict } from '../../src-shared/sync/conflicts.schema';
import { api } from '../state/app-store';
import { useChanged } from '../hooks/useQuery';

export interface ConflictRecord {
  /** "Ana Lopez · Lopez Logistics" for a lead, the deal's name for a deal. */
  name: string;
  currency: string | null;
}

export interface ConflictRecords {
  /** Entity id → record; missing while loading, null when the record is gone or out of view. */
  records: ReadonlyMap<string, ConflictRecord | null>;
  stages: ReadonlyMap<string, string>;
}

async function loadRecord(c: Pick<Conflict, 'entityType' | 'entityId'>): Promise<ConflictRecord | null> {
  try {
    if (c.entityType === 'lead') {
      const lead = await api().call('leads.get', { id: c.entityId });
      const person = `${lead.firstName} ${lead.lastName}`.trim() || 'Unnamed lead';
      return { name: lead.companyName ? `${person} · ${lead.companyName}` : person, currency: null };
    }
    const { deal } = await api().call('deals.get', { id: c.entityId });
    return { name: deal.name, currency: deal.currency };
  } catch {
    // Deleted on the server, or no longer in this user's view: the conflict still shows, without a name.
    return null;
  }
}

/** Loads what the conflicts refer to; again when leads, deals or pipelines change (a rename, a new stage). */
export function useConflictRecords(conflicts: readonly Pick<Conflict, 'entityType' | 'entityId'>[]): ConflictRecords {
  const [records, setRecords] = useState<ReadonlyMap<string, ConflictRecord | null>>(new Map());
  const [stages, setStages] = useState<ReadonlyMap<string, string>>(new Map());
  const key = [...new Set(conflicts.map((c) => `${c.entityType}:${c.entityId}`))].sort().join(',');
  const needsStages = conflicts.some((c) => c.entityType === 'deal');

  const seq = useRef(0);

  const load = useCallback(() => {
    const mine = ++seq.current;
    const wanted = key === '' ? [] : key.split(',').map((k) => ({ entityType: k.split(':')[0] as Conflict['entityType'], entityId: k.split(':')[1]! }));
    void Promise.all(wanted.map(async (c) => [c.entityId, await loadRecord(c)] as const)).then((pairs) => mine === seq.current && setRecords(new Map(pairs)));
    if (!needsStages) return;
    api()
      .call('pipelines.list', {})
      .then((list) => mine === seq.current && setStages(new Map(list.flatMap((p) => p.stages.map((s) => [s.id, list.length > 1 ? `${s.name} (${p.pipeline.name})` : s.name] as const)))))
      .catch(() => {});
  }, [key, needsStages]);

  useEffect(load, [load]);
  useChanged(['leads', 'deals', 'pipelines', 'stages'], load);
  return { records, stages };
}
