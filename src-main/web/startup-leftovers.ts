// Gives back what starting the host left behind and no longer needs: tsx's compiler thread and V8 heap garbage.
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Loading the host's modules (through tsx's hooks every module's source passes through JavaScript) leaves tens of MB
 * of garbage in V8's large-object space and grows the young generation to its 32 MB ceiling; where tsx had to compile
 * a file (its cache did not have it: a fresh clone, a changed file), esbuild also keeps a compiler thread with its own
 * V8 isolate. The host then goes quiet, so V8 never runs the major collection that would reclaim the garbage: an idle
 * host stayed at ~135 MB RSS (~150 MB with the compiler thread), ~60 MB of it these leftovers.
 * Costs ~50–150 ms, once, before the host says it is ready.
 */
export function releaseStartupLeftovers(): void {
  stopTypeScriptCompiler();
  // The kind of collection V8 runs under memory pressure: frees the garbage, shrinks the young generation back to its
  // start size and returns the pages; the young generation then grows again only as far as the host's own work needs.
  collector()({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

/** Ends esbuild's compiler thread if tsx started one; should another module need compiling, esbuild starts it again. */
function stopTypeScriptCompiler(): void {
  const require = createRequire(import.meta.url);
  let path: string;
  try {
    path = require.resolve('esbuild');
  } catch {
    return;
  }
  // Only an esbuild already loaded (by tsx): never loads it.
  const esbuild = require.cache[path]?.exports as { stop?: () => Promise<void> } | undefined;
  void esbuild?.stop?.();
}

/** V8's gc(), without exposing it as a global: only a context made while the flag is on gets it. */
function collector(): NodeJS.GCFunction {
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as NodeJS.GCFunction;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
