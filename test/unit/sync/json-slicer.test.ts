// Parsing in slices gives what JSON.parse gives, keeps named arrays as runs of their elements' bytes, refuses what
// JSON.parse refuses, and lets the event loop run while it works through a large document.
import { describe, expect, it } from 'vitest';
import { JsonRuns, parseJsonInSlices } from '../../../src-main/sync/json-slicer';
import type { JsonPath } from '../../../src-main/sync/json-slicer';

const bytes = (text: string) => new TextEncoder().encode(text);
const tricky = ['a]b', 'c[d', 'q"uote', 'back\\slash\\', 'brace}{', 'Müller–Łódź ✓', '\u0000\n\t', '😀'];
/** A page-like document of `n` rows, well past the sizes that are split. */
function page(n: number): unknown {
  const rows = Array.from({ length: n }, (_, i) => [`id-${i}`, tricky[i % tricky.length], i, i / 3, i % 2 === 0, null, { nested: [[i], { s: tricky[(i + 1) % tricky.length] }] }]);
  return { reset: true, position: { done: n, tables: [1, 2] }, changes: [{ table: 'leads', fields: ['id', 'a', 'b', 'c', 'd', 'e', 'f'], rows, deletes: [] }, { table: 'deals', fields: [], rows: [], deletes: ['x'] }] };
}

describe('parseJsonInSlices', () => {
  it.each<[string, string]>([
    ['a small object', '{"a":1,"b":[true,false,null],"c":"x"}'],
    ['spaces around everything', ' { "a" : [ 1 , 2 ] , "b" : { } , "c" : [ ] } '],
    ['a bare string', '"just text"'],
    ['a number', '-12.5e3'],
    ['escapes', '["\\"", "\\\\", "\\u00fc", "\\/"]'],
    ['a __proto__ key stays an own property', '{"__proto__":{"polluted":true},"a":1}'],
    ['a byte order mark', '\ufeff{"a":"ü"}'],
    ['a large page', JSON.stringify(page(3000))],
    ['a large array of large elements', JSON.stringify(Array.from({ length: 4 }, () => page(600)))],
  ])('%s: as JSON.parse', async (_name, text) => {
    const got = await parseJsonInSlices(bytes(text));
    expect(got).toStrictEqual(JSON.parse(text.replace(/^\ufeff/, '')));
    if (text.includes('__proto__')) expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
  });

  it.each(['', '[1,2', '{"a":1,}', '[1 2]', '{"a" 1}', '[1,]', '{"a":1}}', '[1]x', '{a:1}', `[${JSON.stringify(page(500))},]`])('refuses %j', async (text) => {
    await expect(parseJsonInSlices(bytes(text))).rejects.toThrow(SyntaxError);
  });

  it('keeps the arrays it is asked to as runs of whole elements, with their counts', async () => {
    const doc = page(3000) as { changes: { rows: unknown[] }[] };
    const keep = { at: (path: JsonPath) => path.length === 3 && path[0] === 'changes' && path[2] === 'rows', within: (path: JsonPath) => path.length === 2 && path[0] === 'changes' };
    const got = (await parseJsonInSlices(bytes(JSON.stringify(doc)), { keep })) as { changes: { rows: JsonRuns }[] };
    const decoder = new TextDecoder();
    for (const [i, change] of got.changes.entries()) {
      expect(change.rows).toBeInstanceOf(JsonRuns);
      const runs = change.rows.runs;
      const rows = runs.flatMap((r) => JSON.parse(`[${decoder.decode(r.bytes)}]`) as unknown[]);
      expect(rows).toStrictEqual(doc.changes[i]!.rows);
      expect(runs.reduce((n, r) => n + r.count, 0)).toBe(doc.changes[i]!.rows.length);
    }
    expect(got.changes[0]!.rows.runs.length).toBeGreaterThan(5);
  });

  it('lets the event loop turn while it parses a large document', async () => {
    let turns = 0;
    let on = true;
    const tick = () => {
      turns++;
      if (on) setImmediate(tick);
    };
    setImmediate(tick);
    await parseJsonInSlices(bytes(JSON.stringify(page(20_000))), { sliceMs: 1 });
    on = false;
    expect(turns).toBeGreaterThan(5);
  });
});
