// Leads as the caller may see them: listing, reading and editing, scoped to tenant and visibility.
import { and, desc, eq } from 'drizzle-orm';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { canAssignLeadTo, canEditLead, hasPermission } from '../../src-shared/domain/visibility';
import type { Viewer } from '../../src-shared/domain/visibility';
import type { LeadListQuery, LeadPage, LeadPatch, LeadRecord } from '../../src-shared/http/records.http';
import type { ServerContext } from '../app/server-context';
import { users } from '../db/schema/accounts.table';
import { leads } from '../db/schema/leads.table';
import { nextVersion } from '../db/tenant-version';
import { changedFields, writeAudit } from '../audit/audit-log';
import { afterCursor, pageOf } from './page-cursor';
import { leadVisibleTo } from './visibility-sql';

type LeadRow = typeof leads.$inferSelect;
const toRecord = (row: LeadRow): LeadRecord => row;

export const leadNotFound = () => new AppError(ErrorCode.NOT_FOUND, 'no such lead');

export async function listLeads(ctx: ServerContext, viewer: Viewer, query: LeadListQuery): Promise<LeadPage> {
  const rows = await ctx.db
    .select()
    .from(leads)
    .where(and(
      leadVisibleTo(viewer),
      eq(leads.archived, query.archived),
      query.status === undefined ? undefined : eq(leads.status, query.status),
      query.ownerId === undefined ? undefined : eq(leads.ownerId, query.ownerId),
      afterCursor(query.cursor, leads.createdAt, leads.id),
    ))
    .orderBy(desc(leads.createdAt), desc(leads.id))
    .limit(query.limit + 1);
  const page = pageOf(rows, query.limit);
  return { items: page.items.map(toRecord), nextCursor: page.nextCursor };
}

/** A lead the viewer may not see answers exactly like one that does not exist. */
export async function getLead(ctx: ServerContext, viewer: Viewer, id: string): Promise<LeadRecord> {
  const [row] = await ctx.db.select().from(leads).where(and(eq(leads.id, id), leadVisibleTo(viewer)));
  if (!row) throw leadNotFound();
  return toRecord(row);
}

const EDITABLE = ['firstName', 'lastName', 'email', 'phone', 'companyName', 'title', 'country', 'region', 'ownerId', 'teamId'] as const;

export async function patchLead(ctx: ServerContext, viewer: Viewer, id: string, patch: LeadPatch): Promise<LeadRecord> {
  const { expectedVersion, ...changes } = patch;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(leads).where(and(eq(leads.id, id), leadVisibleTo(viewer))).for('update');
    if (!row) throw leadNotFound();
    if (!canEditLead(viewer, row)) throw new AppError(ErrorCode.FORBIDDEN, 'you may see this lead but not change it');
    if (expectedVersion !== undefined && expectedVersion !== row.version) {
      throw new AppError(ErrorCode.CONFLICT, `the lead changed since version ${expectedVersion} (now ${row.version}); reload and retry`, undefined, { version: row.version });
    }
    const update: Partial<LeadRow> = { ...changes };
    if (changes.ownerId !== undefined && changes.ownerId !== row.ownerId) {
      if (!hasPermission(viewer, 'leads.reassign')) throw new AppError(ErrorCode.FORBIDDEN, 'reassigning leads needs the leads.reassign permission');
      if (changes.ownerId === null) {
        update.teamId = null;
      } else {
        const [assignee] = await tx.select().from(users).where(and(eq(users.id, changes.ownerId), eq(users.tenantId, viewer.tenantId)));
        if (!assignee || !assignee.active) throw new AppError(ErrorCode.VALIDATION, 'invalid body: ownerId: no such active user', [{ path: 'ownerId', message: 'no such active user' }]);
        if (!canAssignLeadTo(viewer, row, assignee)) throw new AppError(ErrorCode.FORBIDDEN, 'you may not assign leads to this user');
        update.teamId = assignee.teamId;
      }
    }
    const version = await nextVersion(tx, row.tenantId);
    const [updated] = await tx.update(leads).set({ ...update, updatedAt: ctx.clock.now(), version }).where(eq(leads.id, row.id)).returning();
    const diff = changedFields(row, updated!, EDITABLE);
    await writeAudit(tx, ctx, { tenantId: row.tenantId, actorId: viewer.userId, entityType: 'lead', entityId: row.id, action: 'update', ...diff, version });
    return toRecord(updated!);
  });
}
