// Per-field merge of offline edits against the server's current rows: which fields are high-risk, and the merge itself.
export type MergeTable = 'leads' | 'deals';

/**
 * Fields where a silent "last one wins" would lose money or responsibility: both edits stand as a conflict record
 * (the server's value stays) until someone resolves it. Every other field merges by server order.
 */
export const HIGH_RISK_FIELDS: Record<MergeTable, readonly string[]> = {
  deals: ['amountMinor', 'stageId', 'ownerId', 'expectedCloseDate'],
  leads: ['ownerId'],
};

export const isHighRisk = (table: MergeTable, field: string): boolean => HIGH_RISK_FIELDS[table].includes(field);

/** The fields one mutation sets on one row, with the values it sets. */
export interface MergeTarget {
  id: string;
  fields: Record<string, unknown>;
}

export interface MergeRule {
  table: MergeTable;
  /** The rows a mutation changes and the values it gives their fields. */
  targets(args: unknown): MergeTarget[];
  /** The args without `fields` of row `id`; null when nothing would be left to do. */
  drop(args: unknown, id: string, fields: readonly string[]): unknown;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});
const defined = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const omit = (o: Obj, keys: readonly string[]): Obj => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

const patchRule = (table: MergeTable): MergeRule => ({
  table,
  targets: (args) => [{ id: String(obj(args)['id']), fields: defined(obj(obj(args)['patch'])) }],
  drop: (args, _id, fields) => ({ ...obj(args), patch: omit(obj(obj(args)['patch']), fields) }),
});

/** A move changes the stage (and may fill in fields the target stage requires); losing the stage drops the move. */
const moveRule: MergeRule = {
  table: 'deals',
  targets: (args) => [{ id: String(obj(args)['id']), fields: { stageId: obj(args)['toStageId'], ...defined(obj(obj(args)['patch'])) } }],
  drop: (args, _id, fields) => (fields.includes('stageId') ? null : { ...obj(args), patch: omit(obj(obj(args)['patch']), fields) }),
};

/** Closing names its outcome rather than a stage; the stage the closer saw is what a concurrent move conflicts with. */
const closeRule: MergeRule = {
  table: 'deals',
  targets: (args) => [{ id: String(obj(args)['id']), fields: { stageId: obj(args)['stageId'] ?? `(${String(obj(args)['outcome'])})` } }],
  drop: () => null,
};

const assignRule: MergeRule = {
  table: 'leads',
  targets: (args) => {
    const a = obj(args);
    const ids = Array.isArray(a['ids']) ? (a['ids'] as unknown[]).map(String) : [];
    return [...new Set(ids)].map((id) => ({ id, fields: { ownerId: a['ownerId'] } }));
  },
  drop: (args, id) => {
    const a = obj(args);
    const ids = (Array.isArray(a['ids']) ? (a['ids'] as unknown[]).map(String) : []).filter((x) => x !== id);
    return ids.length > 0 ? { ...a, ids } : null;
  },
};

/** The mutations that merge field by field; the others apply in server order as they are. */
export const MERGE_RULES: Readonly<Record<string, MergeRule>> = {
  'leads.update': patchRule('leads'),
  'leads.assign': assignRule,
  'deals.update': patchRule('deals'),
  'deals.move': moveRule,
  'deals.close': closeRule,
};

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface FieldConflict {
  id: string;
  field: string;
  base: unknown;
  server: unknown;
  client: unknown;
}

export interface MergeOutcome {
  /** The args to run; null when every change lost to a conflict (nothing to run). */
  args: unknown;
  conflicts: FieldConflict[];
}

/**
 * Merges one mutation against the current server rows. For each field it sets whose `base` (what the client saw)
 * is known: unchanged on the server since → the edit lands; changed to the same value → lands (no-op); changed to
 * something else → a low-risk field lands anyway (server order: this later mutation wins, the audit entry keeps the
 * value it overwrote); a high-risk field is dropped from the args and reported as a conflict. Rows missing on the
 * server are left to the mutator (it refuses them).
 */
export function mergeMutation(rule: MergeRule, args: unknown, base: Readonly<Record<string, Obj>> | undefined, current: (id: string) => Obj | undefined): MergeOutcome {
  if (!base) return { args, conflicts: [] };
  let next: unknown = args;
  const conflicts: FieldConflict[] = [];
  for (const target of rule.targets(args)) {
    const seen = base[target.id];
    const row = current(target.id);
    if (!seen || !row) continue;
    const lost: string[] = [];
    for (const [field, value] of Object.entries(target.fields)) {
      if (!(field in seen)) continue;
      const server = row[field];
      if (sameValue(server, seen[field]) || sameValue(server, value)) continue;
      if (!isHighRisk(rule.table, field)) continue;
      lost.push(field);
      conflicts.push({ id: target.id, field, base: seen[field] ?? null, server: server ?? null, client: value ?? null });
    }
    if (lost.length > 0 && next !== null) next = rule.drop(next, target.id, lost);
  }
  return { args: next, conflicts };
}

/** The base a client records for a mutation: the current values of the fields it is about to set, per row. */
export function baseOf(rule: MergeRule, args: unknown, current: (id: string) => Obj | undefined): Record<string, Obj> | undefined {
  const base: Record<string, Obj> = {};
  for (const target of rule.targets(args)) {
    const row = current(target.id);
    if (!row) continue;
    base[target.id] = Object.fromEntries(Object.keys(target.fields).filter((f) => f in row).map((f) => [f, row[f] ?? null]));
  }
  return Object.keys(base).length > 0 ? base : undefined;
}
