// Admin routes of web lead-capture forms: key, field mapping, defaults, allowed origins, signing secret, honeypot.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { and, asc, eq, ne } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { Viewer } from '../../src-shared/domain/visibility';
import { FormCreate, FormPatch } from '../../src-shared/http/admin.http';
import type { FormRecord, FormWithSecret, ItemList } from '../../src-shared/http/admin.http';
import { IdParams } from '../../src-shared/http/records.http';
import type { AreaOptions } from '../app/server-areas';
import { authOf } from '../auth/authenticate';
import { changedFields } from '../audit/audit-log';
import type { AppDb } from '../db/database';
import { captureSubmissions } from '../db/schema/capture.table';
import { forms } from '../db/schema/forms.table';
import { parseInput } from '../http/parse-input';
import type { AdminTx } from './admin-write';
import { adminWrite } from './admin-write';
import { conflict, counted, notFound, requirePermission } from './admin-checks';
import { countWhere } from './tenant-refs';

type FormRow = typeof forms.$inferSelect;

const EDITABLE = ['key', 'name', 'fieldMap', 'defaults', 'allowedOrigins', 'honeypotField', 'thankYouUrl', 'submissionIdField', 'active', 'signed'] as const;

/** The secret never leaves in a read: only whether there is one. */
const toRecord = ({ hmacSecret, ...row }: FormRow): FormRecord => ({ ...row, signed: hmacSecret !== null });
const snapshot = (row: FormRow) => {
  const { tenantId: _t, ...record } = toRecord(row);
  return record;
};
/** 256 bits, URL-safe, so it can be pasted into any sender's configuration. */
const newSecret = () => randomBytes(32).toString('base64url');

async function formOf(db: AppDb, tenantId: string, id: string): Promise<FormRow> {
  const [row] = await db.select().from(forms).where(and(eq(forms.id, id), eq(forms.tenantId, tenantId)));
  if (!row) throw notFound('form');
  return row;
}

/** Keys are unique across the server, since the capture URL names no tenant. */
async function checkKeyFree(w: AdminTx, key: string, exceptId: string | null): Promise<void> {
  const [taken] = await w.tx.select({ id: forms.id }).from(forms).where(and(eq(forms.key, key), exceptId === null ? undefined : ne(forms.id, exceptId)));
  if (taken) throw new AppError(ErrorCode.CONFLICT, `the form key ${key} is already taken; choose another`, [{ path: 'key', message: 'already taken' }]);
}

export const formAdminRoutes: FastifyPluginAsync<AreaOptions> = async (app, { ctx }) => {
  const editor = (request: FastifyRequest): Viewer => {
    const { viewer } = authOf(request);
    requirePermission(viewer, 'config.edit');
    return viewer;
  };

  /** Sets or clears the form's secret; answers the new secret once. */
  const setSecret = (viewer: Viewer, id: string, secret: string | null) =>
    adminWrite(ctx, viewer, async (w) => {
      const row = await formOf(w.tx, w.tenantId, id);
      const [updated] = await w.tx.update(forms).set({ hmacSecret: secret }).where(eq(forms.id, id)).returning();
      await w.audit({
        entityType: 'config', configType: 'form', entityId: id, action: 'update',
        before: { signed: row.hmacSecret !== null }, after: { signed: secret !== null, ...(secret !== null && row.hmacSecret !== null ? { secretRotated: true } : {}) },
      });
      return updated!;
    });

  app.get('/forms', async (request): Promise<ItemList<FormRecord>> => {
    const viewer = editor(request);
    const rows = await ctx.db.select().from(forms).where(eq(forms.tenantId, viewer.tenantId)).orderBy(asc(forms.key));
    return { items: rows.map(toRecord) };
  });

  app.get('/forms/:id', async (request): Promise<FormRecord> => toRecord(await formOf(ctx.db, editor(request).tenantId, parseInput(IdParams, request.params, 'params').id)));

  app.post('/forms', async (request, reply): Promise<FormRecord | FormWithSecret> => {
    const viewer = editor(request);
    const { signed, ...input } = parseInput(FormCreate, request.body, 'body');
    const secret = signed ? newSecret() : null;
    const row = await adminWrite(ctx, viewer, async (w) => {
      await checkKeyFree(w, input.key, null);
      const [created] = await w.tx.insert(forms).values({ ...input, id: ctx.newId(), tenantId: w.tenantId, hmacSecret: secret, createdAt: w.now }).returning();
      await w.audit({ entityType: 'config', configType: 'form', entityId: created!.id, action: 'create', before: null, after: snapshot(created!) });
      return created!;
    });
    reply.code(201);
    return secret === null ? toRecord(row) : { ...toRecord(row), hmacSecret: secret };
  });

  app.patch('/forms/:id', async (request): Promise<FormRecord> => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const changes = parseInput(FormPatch, request.body, 'body');
    return adminWrite(ctx, viewer, async (w) => {
      const row = await formOf(w.tx, w.tenantId, id);
      if (changes.key !== undefined && changes.key !== row.key) await checkKeyFree(w, changes.key, id);
      const [updated] = await w.tx.update(forms).set(changes).where(eq(forms.id, id)).returning();
      await w.audit({ entityType: 'config', configType: 'form', entityId: id, action: 'update', ...changedFields(toRecord(row), toRecord(updated!), EDITABLE) });
      return toRecord(updated!);
    });
  });

  app.delete('/forms/:id', async (request, reply) => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    await adminWrite(ctx, viewer, async (w) => {
      const row = await formOf(w.tx, w.tenantId, id);
      const submissions = await countWhere(w.tx, captureSubmissions, and(eq(captureSubmissions.tenantId, w.tenantId), eq(captureSubmissions.formId, id)));
      if (submissions > 0) throw conflict(`the form took ${counted(submissions, 'submission')}, which keep its history; deactivate it instead (active: false)`, { submissions });
      await w.tx.delete(forms).where(eq(forms.id, id));
      await w.audit({ entityType: 'config', configType: 'form', entityId: id, action: 'delete', before: snapshot(row), after: null });
    });
    reply.code(204);
  });

  // Makes (or replaces) the signing secret: from now on posts must be signed with it. The answer is the only time it is shown.
  app.post('/forms/:id/secret', async (request): Promise<FormWithSecret> => {
    const viewer = editor(request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const secret = newSecret();
    return { ...toRecord(await setSecret(viewer, id, secret)), hmacSecret: secret };
  });

  // Stops requiring signatures.
  app.delete('/forms/:id/secret', async (request): Promise<FormRecord> => {
    const viewer = editor(request);
    return toRecord(await setSecret(viewer, parseInput(IdParams, request.params, 'params').id, null));
  });
};
