// Desktop-only tables: the signed-in identity and other local settings.
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { json } from './columns';

/** Key/value settings of this local store (current user, tenant, sync cursor later). */
export const localMeta = sqliteTable('local_meta', {
  key: text('key').primaryKey(),
  value: json<unknown>('value').notNull(),
});
