// Validates request input with the shared zod contract, turning problems into a 400 that names each field.
import type { z } from 'zod';
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import type { FieldProblem } from '../../src-shared/domain/result';

function fieldsOf(error: z.ZodError): FieldProblem[] {
  const path = (p: readonly PropertyKey[]) => p.map(String).join('.') || '(root)';
  return error.issues.flatMap((issue) =>
    // An unknown key is a problem of that key, not of the object holding it.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((k) => ({ path: path([...issue.path, k]), message: 'unknown field' }))
      : [{ path: path(issue.path), message: issue.message }],
  );
}

/** Parses `value` or throws a VALIDATION AppError naming each field at fault; `where` names the input in the message. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params'): z.output<S> {
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const fields = fieldsOf(result.error);
  const summary = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  throw new AppError(ErrorCode.VALIDATION, `invalid ${where}: ${summary}`, fields);
}
