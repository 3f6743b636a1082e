// Records the server version of every row an optimistic mutation changes (sync_base), with temporary triggers, so a
// rebase can put the server's state back before replaying the still-pending mutations.
import type Database from 'better-sqlite3';
import { REPLICATED_TABLES } from '../../src-shared/sync/replicated-tables';
import { replicaCodec } from './replica-codecs';

export interface BaseCapture {
  /** While on, the first change of each row records its prior state (or that it did not exist). */
  set(on: boolean): void;
  readonly on: boolean;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The row as a JSON object of column → stored value, from a trigger's OLD or NEW. */
export function rowJsonSql(table: (typeof REPLICATED_TABLES)[number], ref: 'OLD' | 'NEW'): string {
  const c = replicaCodec(table);
  const cols = [...c.columns.map((col) => col.sql), 'version'];
  return `json_object(${cols.map((col) => `'${col}', ${ref}.${quote(col)}`).join(', ')})`;
}

/**
 * Installs the capture on this connection (TEMP triggers live and die with it; nothing in the file changes). The
 * triggers fire only while `set(true)`: during the optimistic run of a user's mutation and its replays, never while
 * sync applies the server's rows.
 */
export function installBaseCapture(sqlite: Database.Database): BaseCapture {
  let on = false;
  sqlite.function('sync_capturing', { deterministic: false, varargs: false }, () => (on ? 1 : 0));
  for (const table of REPLICATED_TABLES) {
    const c = replicaCodec(table);
    const pk = quote(c.pk.sql);
    const t = quote(table);
    const record = (ref: 'OLD' | 'NEW', row: string) => `INSERT OR IGNORE INTO sync_base (tbl, pk, row) VALUES ('${table}', ${ref}.${pk}, ${row});`;
    sqlite.exec(`
      CREATE TEMP TRIGGER IF NOT EXISTS sync_base_${table}_ins AFTER INSERT ON main.${t} WHEN sync_capturing() BEGIN ${record('NEW', 'NULL')} END;
      CREATE TEMP TRIGGER IF NOT EXISTS sync_base_${table}_upd BEFORE UPDATE ON main.${t} WHEN sync_capturing() BEGIN ${record('OLD', rowJsonSql(table, 'OLD'))} END;
      CREATE TEMP TRIGGER IF NOT EXISTS sync_base_${table}_del BEFORE DELETE ON main.${t} WHEN sync_capturing() BEGIN ${record('OLD', rowJsonSql(table, 'OLD'))} END;
    `);
  }
  return {
    set(value) {
      on = value;
    },
    get on() {
      return on;
    },
  };
}
