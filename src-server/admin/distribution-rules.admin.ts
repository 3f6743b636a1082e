// Admin routes of distribution rules: ordered lead filters with their members and method (round robin, least busy, capacity).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { and, asc, eq } from 'drizzle-orm';
import type { Viewer } from '../../src-shared/domain/visibility';
import { DeleteQuery, DistributionRuleCreate, DistributionRuleOrder, DistributionRulePatch } from '../../src-shared/http/admin.http';
import type { DistributionRuleRecord, ItemList } from '../../src-shared/http/admin.http';
import { IdParams } from '../../src-shared/http/records.http';
import type { AreaOptions } from '../app/server-areas';
import { authOf } from '../auth/authenticate';
import { changedFields } from '../audit/audit-log';
import type { AppDb } from '../db/database';
import { distributionRules } from '../db/schema/automation.table';
import { parseInput } from '../http/parse-input';
import type { AdminTx } from './admin-write';
import { adminWrite } from './admin-write';
import { checkExpected, invalidField, notFound, refuseFields, requirePermission } from './admin-checks';
import { permutationProblems } from './permutation';
import { activeUserProblems } from './tenant-refs';

type RuleRow = typeof distributionRules.$inferSelect;

const EDITABLE = ['name', 'active', 'filters', 'method', 'memberIds'] as const;
const snapshot = ({ version: _v, tenantId: _t, ...rule }: RuleRow) => rule;

const rulesOf = (db: AppDb, tenantId: string) =>
  db.select().from(distributionRules).where(eq(distributionRules.tenantId, tenantId)).orderBy(asc(distributionRules.position), asc(distributionRules.id));

async function ruleOf(db: AppDb, tenantId: string, id: string): Promise<RuleRow> {
  const [row] = await db.select().from(distributionRules).where(and(eq(distributionRules.id, id), eq(distributionRules.tenantId, tenantId)));
  if (!row) throw notFound('distribution rule');
  return row;
}

/** Gives `ordered` the positions 0..n-1, writing only the rules whose position changes. */
async function renumber(w: AdminTx, ordered: readonly RuleRow[]): Promise<void> {
  for (const [position, rule] of ordered.entries()) {
    if (rule.position !== position) await w.tx.update(distributionRules).set({ position, version: w.version }).where(eq(distributionRules.id, rule.id));
  }
}

const checkMembers = async (w: AdminTx, memberIds: readonly string[]) =>
  refuseFields(await activeUserProblems(w.tx, w.tenantId, memberIds.map((id, i) => ({ path: `memberIds.${i}`, id }))));

export const distributionRuleAdminRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  const editor = (request: FastifyRequest): Viewer => {
    const { viewer } = authOf(request);
    requirePermission(viewer, 'config.edit');
    return viewer;
  };

  app.get('/distribution-rules', async (request): Promise<ItemList<DistributionRuleRecord>> => ({ items: await rulesOf(ctx.db, editor(request).tenantId) }));

  app.get('/distribution-rules/:id', async (request): Promise<DistributionRuleRecord> =>
    ruleOf(ctx.db, editor(request).tenantId, parseInput(IdParams, request.params, 'params').id),
  );

  app.post('/distribution-rules', async (request, reply): Promise<DistributionRuleRecord> => {
    const viewer = editor(request);
    const { position: at, ...input } = parseInput(DistributionRuleCreate, request.body, 'body');
    const rule = await adminWrite(ctx, viewer, async (w) => {
      await checkMembers(w, input.memberIds);
      const existing = await rulesOf(w.tx, w.tenantId);
      const position = at ?? existing.length;
      if (position > existing.length) throw invalidField('position', `must be between 0 and ${existing.length}`);
      const [created] = await w.tx.insert(distributionRules).values({ ...input, id: ctx.newId(), tenantId: w.tenantId, position, version: w.version }).returning();
      await renumber(w, existing.toSpliced(position, 0, created!));
      await w.audit({ entityType: 'config', configType: 'distributionRule', entityId: created!.id, action: 'create', before: null, after: snapshot(created!) });
      return created!;
    });
    reply.code(201);
    return rule;
  });

  app.patch('/distribution-rules/:id', async (request): Promise<DistributionRuleRecord> => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedVersion, ...changes } = parseInput(DistributionRulePatch, request.body, 'body');
    return adminWrite(ctx, viewer, async (w) => {
      const row = await ruleOf(w.tx, w.tenantId, id);
      checkExpected('distribution rule', 'expectedVersion', expectedVersion, row.version);
      if (changes.memberIds) await checkMembers(w, changes.memberIds);
      const [updated] = await w.tx.update(distributionRules).set({ ...changes, version: w.version }).where(eq(distributionRules.id, id)).returning();
      await w.audit({ entityType: 'config', configType: 'distributionRule', entityId: id, action: 'update', ...changedFields(row, updated!, EDITABLE) });
      return updated!;
    });
  });

  app.delete('/distribution-rules/:id', async (request, reply) => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedVersion } = parseInput(DeleteQuery, request.query, 'query');
    await adminWrite(ctx, viewer, async (w) => {
      const row = await ruleOf(w.tx, w.tenantId, id);
      checkExpected('distribution rule', 'expectedVersion', expectedVersion, row.version);
      await w.tx.delete(distributionRules).where(eq(distributionRules.id, id));
      await renumber(w, await rulesOf(w.tx, w.tenantId));
      await w.audit({ entityType: 'config', configType: 'distributionRule', entityId: id, action: 'delete', before: snapshot(row), after: null });
    });
    reply.code(204);
  });

  app.put('/distribution-rules/order', async (request): Promise<ItemList<DistributionRuleRecord>> => {
    const viewer = editor(request);
    const { ruleIds } = parseInput(DistributionRuleOrder, request.body, 'body');
    return adminWrite(ctx, viewer, async (w) => {
      const existing = await rulesOf(w.tx, w.tenantId);
      refuseFields(permutationProblems('ruleIds', ruleIds, existing.map((r) => r.id)));
      const byId = new Map(existing.map((r) => [r.id, r]));
      await renumber(w, ruleIds.map((id) => byId.get(id)!));
      await w.audit({ entityType: 'config', configType: 'distributionRuleOrder', entityId: w.tenantId, action: 'update', before: { ruleIds: existing.map((r) => r.id) }, after: { ruleIds } });
      return { items: await rulesOf(w.tx, w.tenantId) };
    });
  });
};
