// How mutation args normalise user input, and what the audit records of a change.
import { describe, expect, it } from 'vitest';
import { LeadFields } from '../../../src-shared/mutators/lead-args';
import { auditCreated, auditDiff, changedFields } from '../../../src-shared/mutators/write-rules';

describe('LeadFields', () => {
  it.each([
    [{ email: '  ' }, { email: null }],
    [{ email: ' ana@acme.de ' }, { email: 'ana@acme.de' }],
    [{ phone: '' }, { phone: null }],
    [{ country: ' de ' }, { country: 'DE' }],
    [{ country: '' }, { country: null }],
    [{ companyName: null }, { companyName: null }],
    [{ lastName: '  Berg ' }, { lastName: 'Berg' }],
    [{}, {}],
  ])('normalises %j to %j', (input, output) => {
    expect(LeadFields.parse(input)).toEqual(output);
  });

  it.each([[{ email: 'no-at' }, 'email'], [{ country: 'DEU' }, 'country'], [{ phone: 'x'.repeat(41) }, 'phone']])('refuses %j', (input, path) => {
    const r = LeadFields.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual([path]);
  });
});

describe('audit diffs', () => {
  const before = { a: 1, b: 'x', tags: ['p'], updatedAt: 5, gone: null };

  it.each([
    [{ a: 1 }, null],
    [{ a: 2 }, { a: 2 }],
    [{ tags: ['p'] }, null],
    [{ tags: ['q'] }, { tags: ['q'] }],
    [{ a: undefined, b: 'y' }, { b: 'y' }],
    [{ gone: 'now' }, { gone: 'now' }],
  ])('changedFields(%j) is %j', (patch, changed) => {
    expect(changedFields(before, patch)).toEqual(changed);
  });

  it('records before/after of changed fields only, without the updatedAt stamp', () => {
    expect(auditDiff(before, { b: 'y', gone: 1, updatedAt: 9 })).toEqual({ before: { b: 'x', gone: null }, after: { b: 'y', gone: 1 } });
  });

  it('records a created row by its non-empty fields', () => {
    expect(auditCreated({ id: 'l', email: null, score: 0, updatedAt: 1 })).toEqual({ id: 'l', score: 0 });
  });
});
