// Refuses text PostgreSQL cannot store (NUL, unpaired UTF-16 surrogates) and absurd nesting anywhere in a request's input.
import type { FieldProblem } from '../../src-shared/domain/result';

/** Deeper than any admin body can legitimately be; past it the input is refused rather than walked. */
const MAX_DEPTH = 32;
// A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Problems of every string (and object key) in `value` that could not be stored: PostgreSQL refuses NUL in text and
 * JSON, and an unpaired surrogate in JSON. Walked with an explicit stack, so no input can exhaust the call stack.
 */
export function unstorableText(value: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  const at = (path: string) => path || '(root)';
  while (stack.length > 0 && problems.length < 20) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (UNSTORABLE.test(v)) problems.push({ path: at(path), message: 'contains a NUL character or an unpaired surrogate' });
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) {
      problems.push({ path: at(path), message: 'nested too deeply' });
      continue;
    }
    for (const [key, child] of Object.entries(v)) {
      const childPath = path ? `${path}.${key}` : key;
      if (UNSTORABLE.test(key)) problems.push({ path: at(path), message: 'has a key with a NUL character or an unpaired surrogate' });
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return problems;
}
