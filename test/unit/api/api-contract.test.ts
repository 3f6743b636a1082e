// The API contract as data: names, schemas for every method, one mutator per write, and the registries' refusals.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { API } from '../../../src-shared/api/api';
import { defineMethods, mergeMethods } from '../../../src-shared/api/contract';
import { LEADS_API } from '../../../src-shared/api/leads.api';
import { defineMutator } from '../../../src-shared/mutators/mutator';
import { MUTATORS, registerMutators } from '../../../src-shared/mutators/registry';

describe('API contract', () => {
  it.each(Object.entries(API))('%s has zod input and output schemas', (_name, def) => {
    expect(def.input).toBeInstanceOf(z.ZodType);
    expect(def.output).toBeInstanceOf(z.ZodType);
  });

  it('covers the methods the desktop needs', () => {
    const required = [
      'leads.create', 'leads.update', 'leads.qualify', 'leads.advance', 'leads.disqualify', 'leads.reopen', 'leads.assign', 'leads.convert',
      'leads.merge', 'leads.get', 'leads.queue', 'leads.findDuplicates', 'leads.import', 'leads.rescore', 'deals.create', 'deals.update',
      'deals.move', 'deals.close', 'deals.get', 'deals.board', 'pipelines.list', 'activities.log', 'activities.list', 'activities.complete',
      'approvals.request', 'approvals.decide', 'approvals.inbox', 'approvals.history', 'audit.history', 'notifications.list', 'notifications.markRead',
    ];
    expect(Object.keys(API)).toEqual(expect.arrayContaining(required));
  });

  it('names every mutator after the API method it serves', () => {
    for (const name of MUTATORS.keys()) expect(Object.keys(API)).toContain(name);
  });

  it('refuses a method declared twice and a name that is not domain.verb', () => {
    expect(() => mergeMethods(LEADS_API, LEADS_API)).toThrow('leads.create is declared twice');
    expect(() => defineMethods({ createLead: { input: z.object({}), output: z.object({}) } })).toThrow('not domain.verb');
  });

  it('refuses a mutator registered twice', () => {
    const m = defineMutator({ name: 'x.y', args: z.object({}), run: async () => {} });
    expect(() => registerMutators(m, m)).toThrow('mutator x.y is registered twice');
  });
});
