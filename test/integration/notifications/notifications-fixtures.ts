// Stores notifications for the notification tests as a job or a mutation would.
import type { AppDb } from '../../../src-server/db/database';
import { nextVersion } from '../../../src-server/db/tenant-version';
import { insertNotifications } from '../../../src-server/notifications/notifications.repo';
import type { NotificationDraft } from '../../../src-server/notifications/notifications.repo';

/** Stores notifications in one committed transaction, with a change version, as a job or mutation does. */
export async function notify(db: AppDb, now: number, drafts: NotificationDraft[]): Promise<string[]> {
  return db.transaction(async (tx) => {
    const version = await nextVersion(tx, drafts[0]!.tenantId);
    const rows = await insertNotifications(tx, drafts, { now, version, newId: () => crypto.randomUUID() });
    return rows.map((r) => r.id);
  });
}
