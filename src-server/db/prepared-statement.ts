// Statements run on every request or mutation: their SQL is built once with placeholders, and each connection plans
// them once, by name, rather than on every run.
import type { Query, SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { AppDb } from './database';

const dialect = new PgDialect();

export class PreparedStatement<T> {
  private query: Query | null = null;

  /** `build` makes the SQL, with `sql.placeholder(name)` for what changes from run to run. */
  constructor(readonly name: string, private readonly build: () => SQL) {}

  async rows(db: AppDb, params: Record<string, unknown>): Promise<T[]> {
    this.query ??= dialect.sqlToQuery(this.build());
    const result = (await db._.session.prepareQuery(this.query, undefined, this.name, false).execute(params)) as { rows: T[] };
    return result.rows;
  }
}
