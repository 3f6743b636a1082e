// Checks a requested order as a permutation of the records it orders: each one exactly once, nothing else.
import type { FieldProblem } from '../../src-shared/domain/result';

/** Problems of `ids` as a new order of exactly the `known` ids, with paths under `path` (e.g. `stageIds.3`). */
export function permutationProblems(path: string, ids: readonly string[], known: readonly string[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const knownSet = new Set(known);
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (!knownSet.has(id)) problems.push({ path: `${path}.${i}`, message: `unknown id ${id}` });
    else if (seen.has(id)) problems.push({ path: `${path}.${i}`, message: `${id} is listed twice` });
    seen.add(id);
  });
  const missing = known.filter((id) => !seen.has(id));
  if (missing.length > 0) problems.push({ path, message: `must list every one exactly once; missing ${missing.join(', ')}` });
  return problems;
}
