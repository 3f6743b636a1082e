// Proves that a wrong-way import fails lint (import zones) and typecheck (per-world tsconfigs).
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('world boundaries', () => {
  it.each([
    ['src-shared/domain/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['src-shared/domain/x.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n"],
    ['src-shared/domain/x.ts', "import React from 'react';\nexport const x = React;\n"],
    ['src-shared/domain/x.ts', "import { x as y } from '../../src-main/core/client-core';\nexport const x = y;\n"],
    ['src-renderer/App.tsx', "import { x as y } from '../src-main/core/client-core';\nexport const x = y;\n"],
    ['src-renderer/App.tsx', "import { x as y } from '../src-server/app';\nexport const x = y;\n"],
    ['src-renderer/App.tsx', "import Database from 'better-sqlite3';\nexport const x = Database;\n"],
    ['src-main/core/x.ts', "import { x as y } from '../../src-server/app';\nexport const x = y;\n"],
    ['src-server/x.ts', "import { x as y } from '../src-main/core/client-core';\nexport const x = y;\n"],
    ['src-server/x.ts', "import { app } from 'electron';\nexport const x = app;\n"],
  ])('%s refuses %s', async (file, code) => {
    expect(await importErrors(file, code)).not.toEqual([]);
  });

  it.each([
    ['src-shared/domain/x.ts', "import { z } from 'zod';\nimport { Id } from './common.schema';\nexport const x = z.object({ id: Id });\n"],
    ['src-main/core/x.ts', "import Database from 'better-sqlite3';\nimport { Id } from '../../src-shared/domain/common.schema';\nexport const x = [Database, Id];\n"],
    ['src-renderer/App.tsx', "import { Id } from '../src-shared/domain/common.schema';\nexport const x = Id;\n"],
  ])('%s allows %s', async (file, code) => {
    expect(await importErrors(file, code)).toEqual([]);
  });
});

describe('shared world typecheck', () => {
  it('refuses node modules and DOM globals in shared code', async () => {
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'test/fixtures/boundaries/tsconfig.json'], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toContain("Cannot find module 'node:fs'");
    expect(run.stdout).toContain("Cannot find name 'document'");
  }, 30_000);
});
