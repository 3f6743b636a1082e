// Column helpers for the tenant database's PostgreSQL schema; same names and meanings as the desktop's SQLite columns.
import { bigint, boolean, jsonb, text } from 'drizzle-orm/pg-core';

export const id = () => text('id').primaryKey();
export const ref = (name: string) => text(name);
export const instant = (name: string) => bigint(name, { mode: 'number' });
export const bool = (name: string) => boolean(name);
export const json = <T>(name: string) => jsonb(name).$type<T>();
/** The per-tenant change version of this row's last change. */
export const rowVersion = () => bigint('version', { mode: 'number' }).notNull().default(0);
