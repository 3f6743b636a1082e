// The lead queue: filtered, searched, sorted and paged leads, on the queue indexes.
import type { z } from 'zod';
import { AppError, ErrorCode } from '../../../src-shared/api/errors';
import type { LeadQueueInput, LeadQueueRow } from '../../../src-shared/api/leads.api';
import { preparedRaw } from '../../store/statement-cache';
import type { CoreContext } from '../core-context';

type Input = z.output<typeof LeadQueueInput>;

const ROW_COLUMNS: [keyof LeadQueueRow, string][] = [
  ['id', 'id'], ['firstName', 'first_name'], ['lastName', 'last_name'], ['email', 'email'], ['phone', 'phone'],
  ['companyName', 'company_name'], ['title', 'title'], ['country', 'country'], ['source', 'source'], ['status', 'status'],
  ['score', 'score'], ['ownerId', 'owner_id'], ['teamId', 'team_id'], ['possibleDuplicateOf', 'possible_duplicate_of'],
  ['lastActivityAt', 'last_activity_at'], ['createdAt', 'created_at'], ['updatedAt', 'updated_at'], ['scoreFactors', 'score_factors'],
];
const SELECT_LIST = ROW_COLUMNS.map(([, c]) => c).join(', ');

/** The sort columns of each order, the id last so the order is total (and a cursor is exact). */
const SORT_COLUMNS: Record<Input['sort'], string[]> = {
  score: ['score', 'id'],
  createdAt: ['created_at', 'id'],
  updatedAt: ['updated_at', 'id'],
  name: ['last_name', 'first_name', 'id'],
};

const list = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * No tenant condition: a desktop store holds one tenant (openClient refuses another), and a tenant column in every
 * condition would cost a row lookup per index entry, where these queries otherwise read the queue indexes alone.
 */
function filters(q: Input): { where: string; params: unknown[] } {
  const conds = [q.includeArchived ? 'archived IN (0, 1)' : 'archived = 0'];
  const params: unknown[] = [];
  if (q.status?.length) {
    conds.push(`status IN (${list(q.status.length)})`);
    params.push(...q.status);
  }
  if (q.source?.length) {
    conds.push(`source IN (${list(q.source.length)})`);
    params.push(...q.source);
  }
  if (q.ownerId?.length) {
    const ids = q.ownerId.filter((id): id is string => id !== null);
    const parts = ids.length ? [`owner_id IN (${list(ids.length)})`] : [];
    if (ids.length < q.ownerId.length) parts.push('owner_id IS NULL');
    conds.push(`(${parts.join(' OR ')})`);
    params.push(...ids);
  }
  if (q.teamId?.length) {
    conds.push(`team_id IN (${list(q.teamId.length)})`);
    params.push(...q.teamId);
  }
  const bounds: [string, number | undefined][] = [['score >= ?', q.scoreMin], ['score <= ?', q.scoreMax], ['created_at >= ?', q.createdFrom], ['created_at < ?', q.createdTo]];
  for (const [cond, value] of bounds) {
    if (value === undefined) continue;
    conds.push(cond);
    params.push(value);
  }
  if (q.search) {
    const like = `%${likeEscape(q.search)}%`;
    conds.push(`((first_name || ' ' || last_name) LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\' OR company_name LIKE ? ESCAPE '\\')`);
    params.push(like, like, like);
  }
  return { where: conds.join(' AND '), params };
}

interface Cursor {
  sort: Input['sort'];
  dir: Input['dir'];
  after: unknown[];
}

function decodeCursor(q: Input): Cursor | null {
  if (!q.cursor) return null;
  try {
    const c = JSON.parse(Buffer.from(q.cursor, 'base64url').toString('utf8')) as Cursor;
    if (c.sort === q.sort && c.dir === q.dir && Array.isArray(c.after) && c.after.length === SORT_COLUMNS[q.sort].length) return c;
  } catch {
    // Falls through to the refusal below.
  }
  throw new AppError(ErrorCode.VALIDATION, 'the cursor does not belong to this sort order', [{ path: 'cursor', message: 'invalid cursor' }]);
}

export function leadQueue(ctx: CoreContext, q: Input): { rows: LeadQueueRow[]; total: number | null; nextCursor: string | null } {
  if (q.cursor && q.offset) throw new AppError(ErrorCode.VALIDATION, 'give either an offset or a cursor', [{ path: 'cursor', message: 'not with offset' }]);
  const { where, params } = filters(q);
  const cols = SORT_COLUMNS[q.sort];
  const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
  const cursor = decodeCursor(q);
  const pageWhere = cursor ? `${where} AND (${cols.join(', ')}) ${q.dir === 'asc' ? '>' : '<'} (${list(cols.length)})` : where;
  // A text search reads every row anyway: scanning the table in order beats walking a sort index with a row
  // lookup per entry; the few matches are then sorted.
  const from = q.search ? 'leads NOT INDEXED' : 'leads';
  const sql = `SELECT ${SELECT_LIST} FROM ${from} WHERE ${pageWhere} ORDER BY ${cols.map((c) => `${c} ${dir}`).join(', ')} LIMIT ? OFFSET ?`;
  const raw = preparedRaw(ctx.store.sqlite, sql).all(...params, ...(cursor?.after ?? []), q.limit, q.offset ?? 0) as unknown[][];
  const factorsAt = ROW_COLUMNS.length - 1;
  const rows = raw.map((r) => Object.fromEntries(ROW_COLUMNS.map(([key], i) => [key, i === factorsAt ? JSON.parse(r[i] as string) : r[i]])) as LeadQueueRow);
  let nextCursor: string | null = null;
  const last = rows[rows.length - 1];
  if (rows.length === q.limit && last) {
    const byColumn = new Map(ROW_COLUMNS.map(([key, col]) => [col, last[key]]));
    const next: Cursor = { sort: q.sort, dir: q.dir, after: cols.map((c) => byColumn.get(c)) };
    nextCursor = Buffer.from(JSON.stringify(next)).toString('base64url');
  }
  const total = q.withTotal ? ((preparedRaw(ctx.store.sqlite, `SELECT count(*) FROM ${from} WHERE ${where}`).get(...params) as [number])[0]) : null;
  return { rows, total, nextCursor };
}
