// The host's clean-up once started: garbage goes back to the OS, esbuild's compiler thread ends, and gc() stays private.
import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { releaseStartupLeftovers } from '../../../src-main/web/startup-leftovers';

const MB = 1024 * 1024;
const space = (name: string) => getHeapSpaceStatistics().find((s) => s.space_name === name)!.physical_space_size;
const threads = () => Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]);

/** Like a start's leftovers: large arrays (~0.8 MB each, so in the large-object space) that nothing holds any more. */
const leaveLargeGarbage = () => Array.from({ length: 60 }, (_, i) => new Array<number>(200_000).fill(i)).length;

/** Like loading modules: a million small objects that survive scavenges, so V8 grows the young generation to its ceiling. */
const leaveManySurvivors = () => Array.from({ length: 1_000_000 }, (_, i) => ({ i })).length;

async function threadsAfter(ms: number, want: (n: number) => boolean): Promise<number> {
  const until = Date.now() + ms;
  while (!want(threads()) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return threads();
}

describe('releaseStartupLeftovers', () => {
  it('gives back large garbage that no collection has reclaimed yet', () => {
    leaveLargeGarbage();
    const before = process.memoryUsage().heapTotal;
    expect(space('large_object_space')).toBeGreaterThan(45 * MB);
    releaseStartupLeftovers();
    expect(before - process.memoryUsage().heapTotal).toBeGreaterThan(40 * MB);
    expect(space('large_object_space')).toBeLessThan(10 * MB);
  });

  it('shrinks a young generation that many survivors grew back to its start size', () => {
    leaveManySurvivors();
    expect(space('new_space')).toBeGreaterThan(16 * MB);
    releaseStartupLeftovers();
    expect(space('new_space')).toBeLessThan(4 * MB);
  });

  it('ends the compiler thread a synchronous TypeScript compile started, which starts again when needed', async () => {
    const before = threads();
    const compile = () => transformSync('const n: number = 1;', { loader: 'ts' }).code;
    expect(compile()).toContain('const n = 1');
    expect(threads()).toBeGreaterThan(before);
    releaseStartupLeftovers();
    expect(await threadsAfter(5_000, (n) => n <= before)).toBeLessThanOrEqual(before);
    expect(compile()).toContain('const n = 1');
  });

  it('leaves no gc() on the global object', () => {
    releaseStartupLeftovers();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
