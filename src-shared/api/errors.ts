// Errors cross every boundary as data: a code, a message, and field errors for validation.
import { z } from 'zod';
import type { FieldProblem, Refusal } from '../domain/result';

export const ErrorCode = {
  VALIDATION: 'VALIDATION',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  CONFLICT: 'CONFLICT',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  MISSING_FIELDS: 'MISSING_FIELDS',
  REASON_REQUIRED: 'REASON_REQUIRED',
  APPROVAL_REQUIRED: 'APPROVAL_REQUIRED',
  QUALIFICATION_FAILED: 'QUALIFICATION_FAILED',
  STALE_APPROVAL: 'STALE_APPROVAL',
  RATE_LIMITED: 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  READ_ONLY: 'READ_ONLY',
  UNKNOWN_METHOD: 'UNKNOWN_METHOD',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ErrorBody = z.object({
  code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** The one error class: carries a code and, for validation, the fields at fault. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldProblem[] | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, fields?: FieldProblem[], details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fields = fields;
    this.details = details;
  }

  static fromRefusal(r: Refusal): AppError {
    return new AppError(r.code, r.message, r.fields, r.details);
  }

  static fromZod(error: z.ZodError, what = 'input'): AppError {
    const fields = error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
    const summary = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
    return new AppError(ErrorCode.VALIDATION, `invalid ${what}: ${summary}`, fields);
  }

  toBody(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.fields ? { fields: this.fields } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** Turns anything thrown into a body safe to send: unknown errors become INTERNAL with no detail leaked. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof AppError) return err.toBody();
  if (err instanceof z.ZodError) return AppError.fromZod(err).toBody();
  return { code: ErrorCode.INTERNAL, message: 'internal error' };
}
