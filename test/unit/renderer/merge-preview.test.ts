// The merge preview: what the kept lead ends up with per field, matching what leads.merge is then told to do.
import { describe, expect, it } from 'vitest';
import { mergeChoicesOf, mergePreview } from '../../../src-renderer/lead-detail/merge-preview';
import type { MergePicks, MergeValues } from '../../../src-renderer/lead-detail/merge-preview';

const blank: MergeValues = {
  firstName: '', lastName: '', email: null, phone: null, companyName: null, title: null, country: null, region: null,
  source: null, medium: null, campaign: null, referrer: null, formKey: null,
};
const lead = (v: Partial<MergeValues>): MergeValues => ({ ...blank, ...v });

describe('mergePreview', () => {
  it.each<[string, Partial<MergeValues>, Partial<MergeValues>, MergePicks, Partial<MergeValues>]>([
    ['the winner’s values win by default', { email: 'a@x.example', phone: '+1' }, { email: 'b@x.example', phone: '+2' }, {}, { email: 'a@x.example', phone: '+1' }],
    ['the other’s value fills an empty field', { email: null, phone: '' }, { email: 'b@x.example', phone: '+2' }, {}, { email: 'b@x.example', phone: '+2' }],
    ['both empty stays empty', {}, {}, {}, { email: null, title: null }],
    ['a pick takes the other’s value', { title: 'CEO' }, { title: 'CTO' }, { title: 'loser' }, { title: 'CTO' }],
    ['a pick may keep an empty value over a filled one', { title: null }, { title: 'CTO' }, { title: 'winner' }, { title: null }],
    ['a pick on equal values changes nothing', { country: 'DE' }, { country: 'DE' }, { country: 'loser' }, { country: 'DE' }],
    ['a blank first name counts as empty', { firstName: '', lastName: 'Lopez' }, { firstName: 'Ana', lastName: 'López' }, {}, { firstName: 'Ana', lastName: 'Lopez' }],
  ])('%s', (_name, winner, loser, picks, kept) => {
    const rows = mergePreview(lead(winner), lead(loser), picks);
    for (const [field, value] of Object.entries(kept)) expect(rows.find((r) => r.field === field)?.kept).toBe(value);
  });

  it('lists every editable field once, says which differ and which side is kept', () => {
    const rows = mergePreview(lead({ email: 'a@x.example', title: null }), lead({ email: 'b@x.example', title: 'CTO' }));
    expect(rows.map((r) => r.field)).toEqual(Object.keys(blank));
    expect(rows.filter((r) => r.differs).map((r) => [r.field, r.side])).toEqual([['email', 'winner'], ['title', 'loser']]);
  });
});

describe('mergeChoicesOf', () => {
  it('names every differing field with the side shown, and no other', () => {
    const rows = mergePreview(lead({ email: 'a@x.example', title: null, phone: '+1' }), lead({ email: 'b@x.example', title: 'CTO', phone: '+1' }), { email: 'loser' });
    expect(mergeChoicesOf(rows)).toEqual({ email: 'loser', title: 'loser' });
  });
});
