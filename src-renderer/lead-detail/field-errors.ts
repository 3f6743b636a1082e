// An API refusal's field problems by field name, for showing each next to its input.
import { AppError } from '../../src-shared/api/errors';

/**
 * `{ field: message }` from an AppError's fields; `prefix` ("patch.", "deal.") is the argument the fields sit under
 * in the method's input, dropped so the names match the form's. The first problem per field wins.
 */
export function fieldErrorsOf(err: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof AppError)) return out;
  for (const f of err.fields ?? []) {
    const path = prefix && f.path.startsWith(prefix) ? f.path.slice(prefix.length) : f.path;
    out[path] ??= f.message;
  }
  return out;
}

/** When something happened, in the user's locale. */
export const formatWhen = (ms: number): string => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
