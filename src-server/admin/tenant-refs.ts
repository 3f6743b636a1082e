// Checks that ids a body refers to are records of the caller's tenant (users, teams, policies), and counts dependants.
import { and, count, eq, inArray } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { FieldProblem } from '../../src-shared/domain/result';
import type { AppDb } from '../db/database';
import { teams, users } from '../db/schema/accounts.table';
import { approvalPolicies } from '../db/schema/approvals.table';

/** An id at a path of the body, e.g. `{ path: 'memberIds.2', id }`. */
export interface IdRef {
  path: string;
  id: string;
}

async function foundIds(tx: AppDb, query: (ids: string[]) => Promise<{ id: string }[]>, refs: readonly IdRef[]): Promise<Set<string>> {
  const ids = [...new Set(refs.map((r) => r.id))];
  if (ids.length === 0) return new Set();
  return new Set((await query(ids)).map((r) => r.id));
}

const problemsOf = (refs: readonly IdRef[], found: Set<string>, message: string): FieldProblem[] =>
  refs.filter((r) => !found.has(r.id)).map((r) => ({ path: r.path, message }));

/** Refs that are not active users of the tenant. */
export async function activeUserProblems(tx: AppDb, tenantId: string, refs: readonly IdRef[]): Promise<FieldProblem[]> {
  const found = await foundIds(tx, (ids) => tx.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.active, true), inArray(users.id, ids))), refs);
  return problemsOf(refs, found, 'no such active user');
}

/** Refs that are not users of the tenant (active or not). */
export async function userProblems(tx: AppDb, tenantId: string, refs: readonly IdRef[]): Promise<FieldProblem[]> {
  const found = await foundIds(tx, (ids) => tx.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenantId), inArray(users.id, ids))), refs);
  return problemsOf(refs, found, 'no such user');
}

export async function teamProblems(tx: AppDb, tenantId: string, refs: readonly IdRef[]): Promise<FieldProblem[]> {
  const found = await foundIds(tx, (ids) => tx.select({ id: teams.id }).from(teams).where(and(eq(teams.tenantId, tenantId), inArray(teams.id, ids))), refs);
  return problemsOf(refs, found, 'no such team');
}

export async function policyProblems(tx: AppDb, tenantId: string, refs: readonly IdRef[]): Promise<FieldProblem[]> {
  const found = await foundIds(tx, (ids) => tx.select({ id: approvalPolicies.id }).from(approvalPolicies).where(and(eq(approvalPolicies.tenantId, tenantId), inArray(approvalPolicies.id, ids))), refs);
  return problemsOf(refs, found, 'no such approval policy');
}

/** The refs of the non-null ids among `[path, id]` pairs. */
export const refsOf = (pairs: readonly [string, string | null | undefined][]): IdRef[] =>
  pairs.filter((p): p is [string, string] => typeof p[1] === 'string').map(([path, id]) => ({ path, id }));

/** How many rows of `table` match `where`. */
export async function countWhere(tx: AppDb, table: PgTable, where: SQL | undefined): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(table).where(where);
  return row?.n ?? 0;
}
