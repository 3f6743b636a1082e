// The refusals every admin endpoint shares: missing permission, missing record, stale version, fields at fault, conflicts.
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { Permission } from '../../src-shared/domain/accounts.schema';
import type { FieldProblem } from '../../src-shared/domain/result';
import { hasPermission } from '../../src-shared/domain/visibility';
import type { Viewer } from '../../src-shared/domain/visibility';

/** Refuses with 403 unless the viewer holds one of `permissions`; checked before any record is looked up. */
export function requirePermission(viewer: Viewer, ...permissions: Permission[]): void {
  if (permissions.some((p) => hasPermission(viewer, p))) return;
  throw new AppError(ErrorCode.FORBIDDEN, `this needs the ${permissions.join(' or ')} permission`);
}

export const notFound = (what: string): AppError => new AppError(ErrorCode.NOT_FOUND, `no such ${what}`);

export const conflict = (message: string, details?: Record<string, unknown>): AppError => new AppError(ErrorCode.CONFLICT, message, undefined, details);

/** Throws one 400 naming every field at fault; does nothing when there is none. */
export function refuseFields(problems: readonly FieldProblem[]): void {
  if (problems.length === 0) return;
  throw new AppError(ErrorCode.VALIDATION, `invalid body: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, [...problems]);
}

export const invalidField = (path: string, message: string): AppError => new AppError(ErrorCode.VALIDATION, `invalid body: ${path}: ${message}`, [{ path, message }]);

/**
 * Optimistic concurrency: a caller that says which version it edited is refused (409) when the record moved on since.
 * `field` names what was compared (`expectedVersion`, `expectedConfigVersion`).
 */
export function checkExpected(what: string, field: string, expected: number | undefined, current: number): void {
  if (expected === undefined || expected === current) return;
  throw conflict(`the ${what} changed since ${field} ${expected} (now ${current}); reload and retry`, { [field.replace(/^expected/, '').replace(/^./, (c) => c.toLowerCase())]: current });
}

/** "3 deals", "1 deal". */
export const counted = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
