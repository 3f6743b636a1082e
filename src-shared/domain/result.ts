// The typed result of a pure domain decision: a value, or a refusal saying why.
import type { ErrorCode } from '../api/errors';

export interface Refusal {
  code: ErrorCode;
  message: string;
  /** Field-level problems (e.g. the fields a stage requires that the deal lacks). */
  fields?: FieldProblem[];
  /** Extra machine-readable detail, e.g. the approval levels that apply. */
  details?: Record<string, unknown>;
}

export interface FieldProblem {
  path: string;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refuse = (code: ErrorCode, message: string, extra: Omit<Refusal, 'code' | 'message'> = {}): { ok: false; refusal: Refusal } => ({
  ok: false,
  refusal: { code, message, ...extra },
});
