import { describe, expect, it } from 'vitest';
import { captureOfLead, emptyCapture, fieldErrorsOf, leadFieldsOf, leadLabel, noteOf } from '../../../src-renderer/capture/capture-values';
import { duplicateDraftOf, percent } from '../../../src-renderer/capture/duplicate-draft';
import type { DraftSource, DuplicateDraft } from '../../../src-renderer/capture/duplicate-draft';

describe('duplicateDraftOf', () => {
  it.each<[string, DraftSource, DuplicateDraft | null]>([
    ['nothing typed', {}, null],
    ['one letter of a name is not enough', { firstName: 'A' }, null],
    ['a name of two letters', { lastName: 'Li' }, { lastName: 'Li' }],
    ['a half-typed email is left out', { firstName: 'Ana', email: 'ana@lop' }, { firstName: 'Ana' }],
    ['a complete email', { email: ' ana@lopez.example ' }, { email: 'ana@lopez.example' }],
    ['an email without a dot in the domain is incomplete', { email: 'ana@localhost' }, null],
    ['a phone of fewer than six digits is left out', { phone: '+34 91' }, null],
    ['a phone of six digits', { phone: '+34 915 55' }, { phone: '+34 915 55' }],
    ['company and nulls', { companyName: 'Acme', email: null, phone: undefined }, { companyName: 'Acme' }],
    ['an over-long paste is cut to the limit', { firstName: 'x'.repeat(300) }, { firstName: 'x'.repeat(200) }],
  ])('%s', (_name, source, expected) => {
    expect(duplicateDraftOf(source)).toEqual(expected);
  });

  it.each([[0.934, '93%'], [1, '100%'], [0.005, '1%']])('percent(%s) = %s', (score, text) => {
    expect(percent(score)).toBe(text);
  });
});

describe('the capture form values', () => {
  it('starts blank, keeping the source for the next person', () => {
    expect(emptyCapture()).toMatchObject({ firstName: '', email: '', source: 'trade-show', notes: '' });
    expect(emptyCapture('web-fair')).toMatchObject({ source: 'web-fair' });
  });

  it('sends the lead fields without the notes, the country in capitals', () => {
    const values = { ...emptyCapture(), firstName: 'Ana', country: 'es', notes: 'call back' };
    expect(leadFieldsOf(values)).toEqual({ firstName: 'Ana', lastName: '', email: '', phone: '', companyName: '', title: '', country: 'ES', source: 'trade-show' });
  });

  it('fills the form from a saved lead to correct it', () => {
    const lead = { firstName: 'Ana', lastName: 'Lopez', email: null, phone: '+34 1', companyName: 'Lopez SA', title: null, country: 'ES', source: null };
    expect(captureOfLead(lead)).toEqual({ firstName: 'Ana', lastName: 'Lopez', email: '', phone: '+34 1', companyName: 'Lopez SA', title: '', country: 'ES', source: '', notes: '' });
  });

  it.each<[string, string, { subject: string; body: string } | null]>([
    ['no note', '  \n ', null],
    ['one line', ' Wants a demo in May ', { subject: 'Wants a demo in May', body: 'Wants a demo in May' }],
    ['the first line is the subject', 'Demo\nBudget Q3', { subject: 'Demo', body: 'Demo\nBudget Q3' }],
    ['a long first line is cut', 'y'.repeat(100), { subject: `${'y'.repeat(79)}…`, body: 'y'.repeat(100) }],
  ])('note: %s', (_name, notes, expected) => {
    expect(noteOf(notes)).toEqual(expected);
  });

  it.each<[string, { path: string; message: string }[] | undefined, ReturnType<typeof fieldErrorsOf>]>([
    ['none', undefined, { byKey: {}, other: [] }],
    ['by input', [{ path: 'email', message: 'Invalid email address' }, { path: 'country', message: 'expected a two-letter country code' }], { byKey: { email: 'Invalid email address', country: 'expected a two-letter country code' } , other: [] }],
    ['an update\'s patch path', [{ path: 'patch.firstName', message: 'Too big' }], { byKey: { firstName: 'Too big' }, other: [] }],
    ['the first problem of a field wins', [{ path: 'email', message: 'a' }, { path: 'email', message: 'b' }], { byKey: { email: 'a' }, other: [] }],
    ['the note\'s problems', [{ path: 'body', message: 'Too big' }], { byKey: { notes: 'Too big' }, other: [] }],
    ['problems no input shows', [{ path: 'ownerId', message: 'inactive user' }, { path: '(root)', message: 'bad' }], { byKey: {}, other: ['ownerId: inactive user', 'bad'] }],
  ])('field errors: %s', (_name, fields, expected) => {
    expect(fieldErrorsOf(fields)).toEqual(expected);
  });

  it.each([
    [{ firstName: 'Ana', lastName: 'Lopez', email: null, companyName: null }, 'Ana Lopez'],
    [{ firstName: '', lastName: '', email: 'a@b.example', companyName: 'Acme' }, 'Acme'],
    [{ firstName: '', lastName: '', email: 'a@b.example', companyName: null }, 'a@b.example'],
    [{ firstName: '', lastName: '', email: null, companyName: null }, 'Unnamed lead'],
  ])('label of %j', (lead, label) => {
    expect(leadLabel(lead)).toBe(label);
  });
});
