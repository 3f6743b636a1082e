// Stored per-user notifications: written in the transaction of the change they announce, listed and marked read.
import { and, count, desc, eq, isNull, lt } from 'drizzle-orm';
import type { NotificationKind, EntityType } from '../../src-shared/domain/activities.schema';
import type { NotificationListQuery, NotificationList, NotificationRecord } from '../../src-shared/http/notifications.http';
import type { AppDb } from '../db/database';
import { notifications } from '../db/schema/activities.table';
import { nextVersion } from '../db/tenant-version';

export interface NotificationDraft {
  tenantId: string;
  userId: string;
  kind: NotificationKind;
  title: string;
  body?: string | null;
  entityType?: EntityType | null;
  entityId?: string | null;
}

export interface WriteStamp {
  now: number;
  /** The change version of the writing transaction (from nextVersion). */
  version: number;
  newId: () => string;
}

type NotificationRow = typeof notifications.$inferSelect;

// The shared schema bounds these; a long lead or deal name must not make the whole write fail.
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * Inserts notifications inside `tx`; each is pushed to its user's sockets when `tx` commits (a database trigger
 * announces it on the hub channel). Drafts repeating a user, kind and entity within one call are written once.
 */
export async function insertNotifications(tx: AppDb, drafts: readonly NotificationDraft[], stamp: WriteStamp): Promise<NotificationRow[]> {
  const seen = new Set<string>();
  const rows: NotificationRow[] = [];
  for (const d of drafts) {
    const key = `${d.userId}\u0000${d.kind}\u0000${d.entityId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({
      id: stamp.newId(),
      tenantId: d.tenantId,
      userId: d.userId,
      kind: d.kind,
      title: clip(d.title, 200),
      body: d.body == null ? null : clip(d.body, 2000),
      entityType: d.entityType ?? null,
      entityId: d.entityId ?? null,
      readAt: null,
      createdAt: stamp.now,
      version: stamp.version,
    });
  }
  if (rows.length > 0) await tx.insert(notifications).values(rows);
  return rows;
}

export const toNotificationRecord = (row: NotificationRow): NotificationRecord => ({
  ...row,
  kind: row.kind as NotificationKind,
  entityType: row.entityType as EntityType | null,
});

const own = (tenantId: string, userId: string) => and(eq(notifications.tenantId, tenantId), eq(notifications.userId, userId));

/** The user's own notifications, newest first. */
export async function listNotifications(db: AppDb, tenantId: string, userId: string, query: NotificationListQuery): Promise<NotificationList> {
  const rows = await db
    .select()
    .from(notifications)
    .where(and(
      own(tenantId, userId),
      query.unread ? isNull(notifications.readAt) : undefined,
      query.before === undefined ? undefined : lt(notifications.createdAt, query.before),
    ))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(query.limit);
  const [unread] = await db.select({ n: count() }).from(notifications).where(and(own(tenantId, userId), isNull(notifications.readAt)));
  return { items: rows.map(toNotificationRecord), unreadCount: Number(unread?.n ?? 0) };
}

/** One of the user's own notifications; null for another user's, as for a missing one. */
export async function getNotification(db: AppDb, tenantId: string, userId: string, id: string): Promise<NotificationRecord | null> {
  const [row] = await db.select().from(notifications).where(and(own(tenantId, userId), eq(notifications.id, id)));
  return row ? toNotificationRecord(row) : null;
}

/** Marks one of the user's notifications read (once: reading it again keeps the first time); null when not theirs. */
export async function markNotificationRead(db: AppDb, tenantId: string, userId: string, id: string, now: number): Promise<NotificationRecord | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(notifications).where(and(own(tenantId, userId), eq(notifications.id, id))).for('update');
    if (!row) return null;
    if (row.readAt !== null) return toNotificationRecord(row);
    const version = await nextVersion(tx, tenantId);
    const [updated] = await tx.update(notifications).set({ readAt: now, version }).where(eq(notifications.id, id)).returning();
    return toNotificationRecord(updated!);
  });
}
