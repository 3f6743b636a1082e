// One admin write: a single transaction that takes the tenant's change version, checks, writes and audits, or writes nothing.
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { AuditAction, EntityType } from '../../src-shared/domain/activities.schema';
import type { Viewer } from '../../src-shared/domain/visibility';
import type { ServerContext } from '../app/server-context';
import type { AppDb } from '../db/database';
import { nextVersion } from '../db/tenant-version';
import { writeAudit } from '../audit/audit-log';

export interface AdminAudit {
  entityType: EntityType;
  entityId: string;
  action: AuditAction;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** For entityType 'config': which configuration it is (e.g. 'approvalPolicy'), recorded beside the values. */
  configType?: string;
}

export interface AdminTx {
  /** The transaction: on PGlite every query of the request must use it, never the outer handle. */
  tx: AppDb;
  /** The change version every replicated row written in this transaction is stamped with. */
  version: number;
  tenantId: string;
  actorId: string;
  now: number;
  audit(entry: AdminAudit): Promise<void>;
}

const withType = (values: Record<string, unknown> | null, configType: string | undefined) =>
  values === null || configType === undefined ? values : { configType, ...values };

/**
 * Runs `work` in one transaction for the viewer's tenant. The change version is taken first: every writer of the
 * tenant takes it, so holding its lock also serialises them, and checks such as "no deal is in this stage" cannot
 * be raced by a deal moving in before the commit.
 */
export async function adminWrite<T>(ctx: ServerContext, viewer: Viewer, work: (w: AdminTx) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.transaction(async (tx) => {
      const version = await nextVersion(tx, viewer.tenantId);
      const w: AdminTx = {
        tx,
        version,
        tenantId: viewer.tenantId,
        actorId: viewer.userId,
        now: ctx.clock.now(),
        audit: ({ configType, before, after, ...entry }) =>
          writeAudit(tx, ctx, { tenantId: viewer.tenantId, actorId: viewer.userId, version, ...entry, before: withType(before, configType), after: withType(after, configType) }),
      };
      return work(w);
    });
  } catch (err) {
    throw storageRefusal(ctx, err) ?? err;
  }
}

function sqlState(err: unknown): string | undefined {
  // drizzle wraps the driver's error in `cause`.
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/**
 * The last line of defence for input the checks let through: a unique value taken by a concurrent writer (23505)
 * is a conflict, a value the database cannot store (class 22: out of range, bad encoding) is the caller's; both are
 * logged, since a check should have caught them first.
 */
function storageRefusal(ctx: ServerContext, err: unknown): AppError | null {
  if (err instanceof AppError) return null;
  const state = sqlState(err);
  if (state === '23505') {
    ctx.log.warn({ err }, 'admin write hit a unique index');
    return new AppError(ErrorCode.CONFLICT, 'a record with this value already exists');
  }
  if (state?.startsWith('22')) {
    ctx.log.warn({ err }, 'admin write had a value the database cannot store');
    return new AppError(ErrorCode.VALIDATION, 'invalid body: a value cannot be stored (out of range or badly encoded)', [{ path: '(root)', message: 'a value cannot be stored' }]);
  }
  return null;
}
