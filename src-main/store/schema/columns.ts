// Column helpers for the desktop's SQLite schema: ids as text, instants as epoch-ms integers, JSON as text.
import { integer, text } from 'drizzle-orm/sqlite-core';

export const id = () => text('id').primaryKey();
export const ref = (name: string) => text(name);
export const instant = (name: string) => integer(name);
export const bool = (name: string) => integer(name, { mode: 'boolean' });
export const json = <T>(name: string) => text(name, { mode: 'json' }).$type<T>();
/** The server's change version of this row's last change (0 = created locally, not yet synced). */
export const rowVersion = () => integer('version').notNull().default(0);
