// Field problems of a refusal, keyed by the form's field names, so each shows beside its own input.
import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../../../src-shared/api/errors';
import { fieldErrorsOf } from '../../../src-renderer/lead-detail/field-errors';

describe('fieldErrorsOf', () => {
  it.each<[string, unknown, string, Record<string, string>]>([
    ['validation of the patch argument', new AppError(ErrorCode.VALIDATION, 'invalid input', [{ path: 'patch.email', message: 'Invalid email address' }]), 'patch.', { email: 'Invalid email address' }],
    ['a mutator naming the field itself', new AppError(ErrorCode.VALIDATION, 'bad', [{ path: 'country', message: 'expected a two-letter country code' }]), 'patch.', { country: 'expected a two-letter country code' }],
    ['a stage’s required deal fields', new AppError(ErrorCode.MISSING_FIELDS, 'stage Proposal requires …', [{ path: 'deal.amountMinor', message: 'required by stage Proposal' }, { path: 'deal.expectedCloseDate', message: 'required by stage Proposal' }]), 'deal.', { amountMinor: 'required by stage Proposal', expectedCloseDate: 'required by stage Proposal' }],
    ['the first problem per field wins', new AppError(ErrorCode.VALIDATION, 'bad', [{ path: 'subject', message: 'too short' }, { path: 'subject', message: 'other' }]), '', { subject: 'too short' }],
    ['a refusal without fields', new AppError(ErrorCode.FORBIDDEN, 'not yours'), '', {}],
    ['something that is not an AppError', new Error('boom'), '', {}],
  ])('%s', (_name, err, prefix, expected) => {
    expect(fieldErrorsOf(err, prefix)).toEqual(expected);
  });
});
