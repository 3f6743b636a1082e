// Keyset paging over (createdAt desc, id desc): stable while rows are added, with an opaque cursor.
import { and, eq, lt, or } from 'drizzle-orm';
import type { AnyColumn, SQL } from 'drizzle-orm';
import { AppError, ErrorCode } from '../../src-shared/api/errors';

interface Position {
  createdAt: number;
  id: string;
}

export function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify([p.createdAt, p.id])).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') {
      return { createdAt: value[0] as number, id: value[1] };
    }
  } catch {
    // falls through to the refusal below
  }
  throw new AppError(ErrorCode.VALIDATION, 'invalid query: cursor: not a cursor this server gave out', [{ path: 'cursor', message: 'not a cursor this server gave out' }]);
}

/** Rows after the cursor in (createdAt desc, id desc) order. */
export function afterCursor(cursor: string | undefined, createdAt: AnyColumn, id: AnyColumn): SQL | undefined {
  if (cursor === undefined) return undefined;
  const p = decodeCursor(cursor);
  return or(lt(createdAt, p.createdAt), and(eq(createdAt, p.createdAt), lt(id, p.id)));
}

/** Splits a fetch of `limit + 1` rows into the page and the cursor of the next one. */
export function pageOf<T extends Position>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
