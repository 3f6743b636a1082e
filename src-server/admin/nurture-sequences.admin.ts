// Admin routes of nurture sequences: which leads enrol, and the emails and tasks they receive with waits between.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { and, asc, eq } from 'drizzle-orm';
import type { Viewer } from '../../src-shared/domain/visibility';
import { DeleteQuery, NurtureSequenceCreate, NurtureSequencePatch } from '../../src-shared/http/admin.http';
import type { ItemList, NurtureSequenceRecord } from '../../src-shared/http/admin.http';
import { IdParams } from '../../src-shared/http/records.http';
import type { AreaOptions } from '../app/server-areas';
import { authOf } from '../auth/authenticate';
import { changedFields } from '../audit/audit-log';
import type { AppDb } from '../db/database';
import { nurtureEnrollments, nurtureSequences } from '../db/schema/automation.table';
import { parseInput } from '../http/parse-input';
import { adminWrite } from './admin-write';
import { checkExpected, conflict, counted, notFound, requirePermission } from './admin-checks';
import { countWhere } from './tenant-refs';

type SequenceRow = typeof nurtureSequences.$inferSelect;

const EDITABLE = ['name', 'active', 'enrollStatuses', 'enrollFilters', 'steps'] as const;
const snapshot = ({ version: _v, tenantId: _t, ...s }: SequenceRow) => s;

async function sequenceOf(db: AppDb, tenantId: string, id: string): Promise<SequenceRow> {
  const [row] = await db.select().from(nurtureSequences).where(and(eq(nurtureSequences.id, id), eq(nurtureSequences.tenantId, tenantId)));
  if (!row) throw notFound('nurture sequence');
  return row;
}

export const nurtureSequenceAdminRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  const editor = (request: FastifyRequest): Viewer => {
    const { viewer } = authOf(request);
    requirePermission(viewer, 'config.edit');
    return viewer;
  };

  app.get('/nurture-sequences', async (request): Promise<ItemList<NurtureSequenceRecord>> => {
    const viewer = editor(request);
    return { items: await ctx.db.select().from(nurtureSequences).where(eq(nurtureSequences.tenantId, viewer.tenantId)).orderBy(asc(nurtureSequences.name), asc(nurtureSequences.id)) };
  });

  app.get('/nurture-sequences/:id', async (request): Promise<NurtureSequenceRecord> =>
    sequenceOf(ctx.db, editor(request).tenantId, parseInput(IdParams, request.params, 'params').id),
  );

  app.post('/nurture-sequences', async (request, reply): Promise<NurtureSequenceRecord> => {
    const viewer = editor(request);
    const input = parseInput(NurtureSequenceCreate, request.body, 'body');
    const created = await adminWrite(ctx, viewer, async (w) => {
      const [row] = await w.tx.insert(nurtureSequences).values({ ...input, id: ctx.newId(), tenantId: w.tenantId, version: w.version }).returning();
      await w.audit({ entityType: 'config', configType: 'nurtureSequence', entityId: row!.id, action: 'create', before: null, after: snapshot(row!) });
      return row!;
    });
    reply.code(201);
    return created;
  });

  app.patch('/nurture-sequences/:id', async (request): Promise<NurtureSequenceRecord> => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedVersion, ...changes } = parseInput(NurtureSequencePatch, request.body, 'body');
    return adminWrite(ctx, viewer, async (w) => {
      const row = await sequenceOf(w.tx, w.tenantId, id);
      checkExpected('nurture sequence', 'expectedVersion', expectedVersion, row.version);
      // Enrolments already past a removed step complete at their next run (the nurture job handles a shorter sequence).
      const [updated] = await w.tx.update(nurtureSequences).set({ ...changes, version: w.version }).where(eq(nurtureSequences.id, id)).returning();
      await w.audit({ entityType: 'config', configType: 'nurtureSequence', entityId: id, action: 'update', ...changedFields(row, updated!, EDITABLE) });
      return updated!;
    });
  });

  app.delete('/nurture-sequences/:id', async (request, reply) => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const { expectedVersion } = parseInput(DeleteQuery, request.query, 'query');
    await adminWrite(ctx, viewer, async (w) => {
      const row = await sequenceOf(w.tx, w.tenantId, id);
      checkExpected('nurture sequence', 'expectedVersion', expectedVersion, row.version);
      const enrolled = await countWhere(w.tx, nurtureEnrollments, and(eq(nurtureEnrollments.tenantId, w.tenantId), eq(nurtureEnrollments.sequenceId, id)));
      if (enrolled > 0) throw conflict(`${counted(enrolled, 'lead was', 'leads were')} enrolled in this sequence and keep its history; deactivate it instead (active: false)`, { enrollments: enrolled });
      await w.tx.delete(nurtureSequences).where(eq(nurtureSequences.id, id));
      await w.audit({ entityType: 'config', configType: 'nurtureSequence', entityId: id, action: 'delete', before: snapshot(row), after: null });
    });
    reply.code(204);
  });
};
