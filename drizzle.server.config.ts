import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src-server/db/schema/*.table.ts',
  out: './drizzle/server',
});
