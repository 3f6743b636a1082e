// Shared pieces of the notification tests: the areas to serve and a way to store notifications as a job would.
import { API_PREFIX, HTTP_AREAS } from '../../../src-server/app/server-areas';
import type { HttpArea } from '../../../src-server/app/server-areas';
import type { AppDb } from '../../../src-server/db/database';
import { nextVersion } from '../../../src-server/db/tenant-version';
import { insertNotifications } from '../../../src-server/notifications/notifications.repo';
import type { NotificationDraft } from '../../../src-server/notifications/notifications.repo';
import { notificationRoutes } from '../../../src-server/notifications/notifications.routes';

export const AREAS: HttpArea[] = [...HTTP_AREAS.filter((a) => a.name !== 'notifications'), { name: 'notifications', prefix: API_PREFIX, plugin: notificationRoutes }];

/** Stores notifications in one committed transaction, with a change version, as a job or mutation does. */
export async function notify(db: AppDb, now: number, drafts: NotificationDraft[]): Promise<string[]> {
  return db.transaction(async (tx) => {
    const version = await nextVersion(tx, drafts[0]!.tenantId);
    const rows = await insertNotifications(tx, drafts, { now, version, newId: () => crypto.randomUUID() });
    return rows.map((r) => r.id);
  });
}
