// Parses a large JSON answer a slice at a time, with turns of the event loop between slices: decoding and parsing a
// multi-megabyte pull page in one go would hold the loop for tens of milliseconds. Objects are taken member by
// member and arrays in runs of elements, each run decoded and parsed in one go (an element too large for a run is
// taken apart in turn), so the result is what JSON.parse of the whole text gives. Arrays the caller names can be
// kept as their bytes instead, in runs of whole elements (for SQLite to read: see ReplicaWriter.applyRun).

/** An array's elements are parsed in runs of about this many bytes. */
const RUN_BYTES = 32 * 1024;
/** An array element larger than this is taken apart rather than parsed whole. */
const WHOLE_BYTES = 64 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Where a value sits in the document: the keys and indexes leading to it. */
export type JsonPath = readonly (string | number)[];

/** A run of whole array elements: their UTF-8 JSON text, commas between (no brackets), and how many there are. */
export interface JsonRun {
  bytes: Uint8Array;
  count: number;
}

/** A run's elements, parsed. */
export const elementsOf = (run: JsonRun): unknown[] => JSON.parse(`[${new TextDecoder().decode(run.bytes)}]`) as unknown[];

/** An array kept as its bytes, in runs of whole elements. */
export class JsonRuns {
  constructor(readonly runs: JsonRun[]) {}
}

export interface SliceOptions {
  /** Each slice takes about this long before the loop gets a turn. */
  sliceMs?: number;
  /** Arrays at the paths `at` accepts are kept as JsonRuns; `within` accepts every path that leads to one. */
  keep?: { at: (path: JsonPath) => boolean; within: (path: JsonPath) => boolean };
}

const KEEP_NONE: NonNullable<SliceOptions['keep']> = { at: () => false, within: () => false };

/** JSON.parse of the UTF-8 text in `bytes`, in slices with turns of the event loop between them. */
export async function parseJsonInSlices(bytes: Uint8Array, o: SliceOptions = {}): Promise<unknown> {
  const parser = new SlicedParser(bytes, o.sliceMs ?? 4, o.keep ?? KEEP_NONE);
  // A byte order mark is no part of the text (as for Response.json()).
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const [value, end] = await parser.value(skipSpace(bytes, bom), []);
  if (skipSpace(bytes, end) !== bytes.length) throw new SyntaxError(`unexpected text after the JSON value at ${end}`);
  return value;
}

class SlicedParser {
  private since = performance.now();
  private readonly decoder = new TextDecoder();

  constructor(private readonly b: Uint8Array, private readonly sliceMs: number, private readonly keep: NonNullable<SliceOptions['keep']>) {}

  /** The value that starts at `i` (at `path`), and the index after it. */
  async value(i: number, path: JsonPath): Promise<[unknown, number]> {
    const c = this.b[i];
    if (c === OPEN_OBJECT) return this.object(i, path);
    if (c === OPEN_ARRAY) return this.keep.at(path) ? this.runs(i) : this.array(i, path);
    const end = skipValue(this.b, i, Infinity);
    return [await this.parse(i, end), end];
  }

  private async parse(start: number, end: number, wrap = false): Promise<unknown> {
    const value: unknown = JSON.parse(this.text(start, end, wrap));
    await this.pace();
    return value;
  }

  private text(start: number, end: number, wrap: boolean): string {
    const text = this.decoder.decode(this.b.subarray(start, end));
    return wrap ? `[${text}]` : text;
  }

  private async pace(): Promise<void> {
    if (performance.now() - this.since < this.sliceMs) return;
    await yieldToLoop();
    this.since = performance.now();
  }

  /** The array that starts at `start` as runs of its elements' bytes (each element checked only for its extent). */
  private async runs(start: number): Promise<[JsonRuns, number]> {
    const b = this.b;
    const runs: JsonRun[] = [];
    let i = skipSpace(b, start + 1);
    if (b[i] === CLOSE_ARRAY) return [new JsonRuns(runs), i + 1];
    let run = i;
    let count = 0;
    for (;;) {
      const end = skipValue(b, i, Infinity);
      count++;
      i = skipSpace(b, end);
      const last = b[i] === CLOSE_ARRAY;
      if (!last && b[i] !== COMMA) throw new SyntaxError(`expected , or ] at ${i}`);
      if (last || end - run >= RUN_BYTES) {
        runs.push({ bytes: b.subarray(run, end), count });
        await this.pace();
        if (last) return [new JsonRuns(runs), i + 1];
        run = skipSpace(b, i + 1);
        count = 0;
      }
      i = skipSpace(b, i + 1);
    }
  }

  private async array(start: number, path: JsonPath): Promise<[unknown[], number]> {
    const b = this.b;
    const out: unknown[] = [];
    let run = -1;
    let runEnd = -1;
    const flush = async () => {
      if (run < 0) return;
      for (const v of (await this.parse(run, runEnd, true)) as unknown[]) out.push(v);
      run = -1;
    };
    let i = skipSpace(b, start + 1);
    if (b[i] === CLOSE_ARRAY) return [out, i + 1];
    for (let index = 0; ; index++) {
      // Taken apart when too large for a run, or when an array to keep lies inside.
      const end = this.keep.within([...path, index]) ? -1 : skipValue(b, i, WHOLE_BYTES);
      if (end < 0) {
        await flush();
        const [v, after] = await this.value(i, [...path, index]);
        out.push(v);
        i = after;
      } else {
        if (run < 0) run = i;
        runEnd = end;
        if (runEnd - run >= RUN_BYTES) await flush();
        i = end;
      }
      i = skipSpace(b, i);
      if (b[i] === CLOSE_ARRAY) break;
      if (b[i] !== COMMA) throw new SyntaxError(`expected , or ] at ${i}`);
      i = skipSpace(b, i + 1);
    }
    await flush();
    return [out, i + 1];
  }

  private async object(start: number, path: JsonPath): Promise<[Record<string, unknown>, number]> {
    const b = this.b;
    const out: Record<string, unknown> = {};
    let i = skipSpace(b, start + 1);
    if (b[i] === CLOSE_OBJECT) return [out, i + 1];
    for (;;) {
      if (b[i] !== QUOTE) throw new SyntaxError(`expected a key at ${i}`);
      const keyEnd = skipString(b, i);
      const key = JSON.parse(this.decoder.decode(b.subarray(i, keyEnd))) as string;
      i = skipSpace(b, keyEnd);
      if (b[i] !== COLON) throw new SyntaxError(`expected : at ${i}`);
      const [value, after] = await this.value(skipSpace(b, i + 1), [...path, key]);
      // As JSON.parse does: an own property, even one named __proto__.
      Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
      i = skipSpace(b, after);
      if (b[i] === CLOSE_OBJECT) return [out, i + 1];
      if (b[i] !== COMMA) throw new SyntaxError(`expected , or } at ${i}`);
      i = skipSpace(b, i + 1);
    }
  }
}

function skipSpace(b: Uint8Array, i: number): number {
  for (;;) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** The index after the string whose opening quote is at `i` (a quote byte is never part of a longer UTF-8 sequence). */
function skipString(b: Uint8Array, i: number): number {
  let j = i;
  for (;;) {
    j = b.indexOf(QUOTE, j + 1);
    if (j < 0) throw new SyntaxError('unterminated string');
    let slashes = 0;
    while (b[j - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return j + 1;
  }
}

/**
 * The index after the value that starts at `i`, or -1 when it runs past `limit` bytes (its syntax is checked when it
 * is parsed).
 */
function skipValue(b: Uint8Array, i: number, limit: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i);
  const stop = Math.min(b.length, i + limit);
  if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
    let depth = 0;
    for (let j = i; j < stop; j++) {
      const d = b[j];
      if (d === QUOTE) j = skipString(b, j) - 1;
      else if (d === OPEN_ARRAY || d === OPEN_OBJECT) depth++;
      else if ((d === CLOSE_ARRAY || d === CLOSE_OBJECT) && --depth === 0) return j + 1;
    }
    if (stop < b.length) return -1;
    throw new SyntaxError('unterminated array or object');
  }
  let j = i;
  while (j < b.length) {
    const d = b[j];
    if (d === COMMA || d === CLOSE_ARRAY || d === CLOSE_OBJECT || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
    j++;
  }
  if (j === i) throw new SyntaxError(`expected a value at ${i}`);
  return j;
}
