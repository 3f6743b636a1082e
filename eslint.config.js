// Lint rules, and the world boundaries of STYLE.md: a wrong-way import fails `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Packages that shared code may use: pure computation, no I/O, the same on desktop and server. */
export const SHARED_ALLOWED_PACKAGES = ['zod', '@skyra/jaro-winkler', 'double-metaphone'];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const otherWorlds = (...worlds) => worlds.map((w) => ({ regex: `(^|/)${w}(/|$)`, message: `this world may not import ${w} (STYLE.md: worlds cannot leak)` }));

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'drizzle/**', 'test-results/**', 'test/fixtures/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: `^(?!\\.{1,2}/|(${SHARED_ALLOWED_PACKAGES.map(escape).join('|')})$)`, message: `src-shared imports only itself and ${SHARED_ALLOWED_PACKAGES.join(', ')}` },
          ...otherWorlds('src-main', 'src-server', 'src-renderer'),
        ],
      }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...otherWorlds('src-main', 'src-server'),
          { group: ['node:*', 'electron', 'better-sqlite3', 'drizzle-orm', 'drizzle-orm/*', 'pg', '@electric-sql/*'], message: 'the renderer knows the API contract, never the store, the server or node' },
        ],
      }],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: otherWorlds('src-server', 'src-renderer') }] },
  },
  {
    files: ['src-server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...otherWorlds('src-main', 'src-renderer'), { group: ['electron'], message: 'the server never uses electron' }] }] },
  },
);
