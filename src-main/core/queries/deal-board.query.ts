// The pipeline board: per stage its count, sums and rotting count, plus the first cards; more cards page per stage.
import type { z } from 'zod';
import type { BoardCard, BoardColumn } from '../../../src-shared/api/deals.api';
import { DAY_MS } from '../../../src-shared/domain/common.schema';
import type { Stage } from '../../../src-shared/domain/deals.schema';
import { preparedRaw } from '../../store/statement-cache';
import type { CoreContext } from '../core-context';
import { mustRead, readEntities } from '../core-context';

export interface BoardFilter {
  ownerId?: string[] | undefined;
  search?: string | undefined;
}

// No tenant condition in the deal queries: a desktop store holds one tenant (see openClient), and the board then
// reads its counts and sums from deals_board_sums_idx alone.
const CARD_COLUMNS = 'id, name, amount_minor, currency, owner_id, company_id, expected_close_date, probability, stage_entered_at, status';

function filterSql(f: BoardFilter): { sql: string; params: unknown[] } {
  let sql = '';
  const params: unknown[] = [];
  if (f.ownerId?.length) {
    sql += ` AND owner_id IN (${f.ownerId.map(() => '?').join(', ')})`;
    params.push(...f.ownerId);
  }
  if (f.search) {
    sql += ` AND name LIKE ? ESCAPE '\\'`;
    params.push(`%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  return { sql, params };
}

/** Deals idle in the stage since before this instant are rotting; null when the stage never rots. */
const rotsBefore = (stage: Stage, now: number) => (stage.rottingDays === null || stage.kind !== 'open' ? null : now - stage.rottingDays * DAY_MS);

function toCard(r: unknown[], rotBefore: number | null): BoardCard {
  const [id, name, amountMinor, currency, ownerId, companyId, expectedCloseDate, probability, stageEnteredAt, status] = r as [string, string, number | null, string, string | null, string | null, string | null, number, number, BoardCard['status']];
  return { id, name, amountMinor, currency, ownerId, companyId, expectedCloseDate, probability, stageEnteredAt, status, rotting: rotBefore !== null && status === 'open' && stageEnteredAt < rotBefore };
}

export function stageCards(ctx: CoreContext, pipelineId: string, stage: Stage, f: BoardFilter, offset: number, limit: number): { cards: BoardCard[]; hasMore: boolean } {
  const { sql, params } = filterSql(f);
  const rows = preparedRaw(ctx.store.sqlite, `SELECT ${CARD_COLUMNS} FROM deals WHERE pipeline_id = ? AND stage_id = ?${sql} ORDER BY stage_entered_at DESC, id DESC LIMIT ? OFFSET ?`)
    .all(pipelineId, stage.id, ...params, limit + 1, offset) as unknown[][];
  const rot = rotsBefore(stage, ctx.now());
  return { cards: rows.slice(0, limit).map((r) => toCard(r, rot)), hasMore: rows.length > limit };
}

export function dealBoard(ctx: CoreContext, pipelineId: string, f: BoardFilter, cardsPerStage: number) {
  const pipeline = mustRead(ctx, 'pipelines', pipelineId, 'pipeline');
  const stages = readEntities(ctx, 'stages', 'pipeline_id = ?', [pipelineId], 'ORDER BY position');
  const { sql, params } = filterSql(f);
  const now = ctx.now();
  const aggregate = preparedRaw(ctx.store.sqlite, `SELECT count(*), coalesce(sum(amount_minor), 0), coalesce(sum(amount_minor * probability), 0),
      coalesce(sum(status = 'open' AND stage_entered_at < ?), 0)
    FROM deals WHERE pipeline_id = ? AND stage_id = ?${sql}`);
  const columns: z.infer<typeof BoardColumn>[] = stages.map((stage) => {
    const rot = rotsBefore(stage, now);
    const [count, sum, weighted, rotting] = aggregate.get(rot ?? -1, pipelineId, stage.id, ...params) as [number, number, number, number];
    const page = cardsPerStage > 0 ? stageCards(ctx, pipelineId, stage, f, 0, cardsPerStage) : { cards: [], hasMore: count > 0 };
    return { stage, count, sumAmountMinor: sum, weightedAmountMinor: Math.round(weighted / 100), rottingCount: rotting, ...page };
  });
  return { pipeline, currency: pipeline.currency, columns, at: now };
}
