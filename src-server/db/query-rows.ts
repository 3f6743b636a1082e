// Raw SQL on either driver: both node-postgres and PGlite answer `execute` with `{ rows }`.
import type { SQL } from 'drizzle-orm';
import type { AppDb } from './database';

/** Runs raw SQL and returns its rows. Cast int8 columns in SQL (`::text`/`::int`): the drivers parse them differently. */
export async function queryRows<T>(db: AppDb, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
