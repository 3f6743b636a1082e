// Parses a capture post's raw bytes (kept raw for the signature) into posted name → value, refusing odd encodings with a 400.
import { AppError, ErrorCode } from '../../src-shared/api/errors';

/** A posted value: text, or (a repeated form field, a JSON value of the wrong type) something the mapping refuses. */
export type PostedValue = string | number | boolean | null | unknown[] | Record<string, unknown>;

/** Posted fields in order; a Map, so a name like `__proto__` is just a name. */
export type PostedFields = Map<string, PostedValue>;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function invalid(message: string): AppError {
  return new AppError(ErrorCode.VALIDATION, message, [{ path: '(body)', message }]);
}

/** Strict UTF-8: a stray byte is the sender's bug, not something to store as U+FFFD. */
export function decodeUtf8(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw invalid('the body is not valid UTF-8');
  }
}

function decodeComponent(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw invalid('the body has a malformed percent-encoding (or one that is not UTF-8)');
  }
}

/** `application/x-www-form-urlencoded`; a name posted twice becomes an array (which the mapping refuses where it matters). */
export function parseFormBody(raw: Buffer): PostedFields {
  const fields: PostedFields = new Map();
  const text = decodeUtf8(raw);
  if (text === '') return fields;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
    const prior = fields.get(name);
    if (prior === undefined) fields.set(name, value);
    else fields.set(name, Array.isArray(prior) ? [...prior, value] : [prior, value]);
  }
  return fields;
}

/** `application/json`: one object of name → value. */
export function parseJsonBody(raw: Buffer): PostedFields {
  const text = decodeUtf8(raw);
  if (text.trim() === '') return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('the body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('the body must be a JSON object of field names to values');
  // JSON.parse makes `__proto__` an own property rather than a prototype, and Object.entries reads own properties only.
  return new Map(Object.entries(parsed as Record<string, PostedValue>));
}
