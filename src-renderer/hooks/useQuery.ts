// Runs one API read and runs it again when a write touches the tables it reads; the latest answer wins.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppInput, AppMethodName, AppOutput } from '../../src-shared/api/host.api';
import { api, appState } from '../state/app-store';

export interface QueryState<T> {
  data: T | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * `tables`: the store tables the answer depends on; a `changed` event naming one of them re-runs the query.
 * The input is compared by value, so an inline object literal does not re-run it every render.
 */
export function useQuery<N extends AppMethodName>(
  method: N,
  input: AppInput<N> | null,
  tables: readonly string[],
  /** `quiet`: a failure leaves `data` undefined without a message (e.g. a record the user may not see). */
  options: { quiet?: boolean } = {},
): QueryState<AppOutput<N>> {
  const [data, setData] = useState<AppOutput<N>>();
  const [loading, setLoading] = useState(input !== null);
  const key = input === null ? null : JSON.stringify(input);
  const seq = useRef(0);
  const quiet = options.quiet ?? false;

  const run = useCallback(() => {
    if (key === null) return;
    const mine = ++seq.current;
    setLoading(true);
    api()
      .call(method, JSON.parse(key) as AppInput<N>)
      .then((out) => mine === seq.current && setData(out))
      .catch((err: unknown) => {
        if (mine !== seq.current) return;
        if (quiet) setData(undefined);
        else appState().report(err);
      })
      .finally(() => mine === seq.current && setLoading(false));
  }, [method, key, quiet]);

  useEffect(run, [run]);
  useChanged(tables, run);
  return { data, loading, reload: run };
}

/** Calls `onChange` after every committed write that touches one of the tables. */
export function useChanged(tables: readonly string[], onChange: () => void): void {
  const tableKey = tables.join(',');
  useEffect(() => {
    const wanted = new Set(tableKey.split(','));
    return api().on('changed', (change) => {
      if (change.tables.some((t) => wanted.has(t))) onChange();
    });
  }, [tableKey, onChange]);
}
