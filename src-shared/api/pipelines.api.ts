// The pipelines methods: the tenant's pipelines with their stages, as configured (and later synced).
import { z } from 'zod';
import { defineMethods } from './contract';
import { Pipeline, Stage } from '../domain/deals.schema';

export const PIPELINES_API = defineMethods({
  'pipelines.list': { input: z.object({}), output: z.array(z.object({ pipeline: Pipeline, stages: z.array(Stage) })) },
});
