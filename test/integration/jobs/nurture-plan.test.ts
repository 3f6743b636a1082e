// The pure nurture rules: who enrols, when an enrolment stops, where it stands after a step, template filling.
import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../src-shared/domain/common.schema';
import type { NurtureStep } from '../../../src-shared/domain/automation.schema';
import { fillTemplate, firstRunAt, positionAfterStep, shouldEnroll, stopReasonFor } from '../../../src-server/jobs/nurture-plan';

const steps: NurtureStep[] = [
  { kind: 'email', waitHours: 0, subject: 'a', body: '' },
  { kind: 'task', waitHours: 24, subject: 'b', body: null },
];
const sequence = { active: true, enrollStatuses: ['NEW', 'QUALIFIED'] as const, enrollFilters: [{ field: 'country' as const, op: 'in' as const, values: ['de', 'at'] }], steps };

describe('shouldEnroll', () => {
  it.each([
    ['a matching new lead', { status: 'NEW', archived: false, country: 'DE' }, sequence, true],
    ['another listed status', { status: 'QUALIFIED', archived: false, country: 'at' }, sequence, true],
    ['a status the sequence does not take', { status: 'CONTACTED', archived: false, country: 'DE' }, sequence, false],
    ['a lead failing a filter', { status: 'NEW', archived: false, country: 'FR' }, sequence, false],
    ['an archived lead', { status: 'NEW', archived: true, country: 'DE' }, sequence, false],
    ['an inactive sequence', { status: 'NEW', archived: false, country: 'DE' }, { ...sequence, active: false }, false],
    ['a sequence without steps', { status: 'NEW', archived: false, country: 'DE' }, { ...sequence, steps: [] }, false],
  ] as const)('%s → %s', (_case, lead, seq, expected) => {
    expect(shouldEnroll(lead, { ...seq, enrollStatuses: [...seq.enrollStatuses], enrollFilters: [...seq.enrollFilters], steps: [...seq.steps] })).toBe(expected);
  });
});

describe('stopReasonFor', () => {
  it.each([
    [{ status: 'NEW', archived: false }, 'NEW', null],
    [{ status: 'QUALIFIED', archived: false }, 'NEW', 'statusChanged'],
    [{ status: 'DISQUALIFIED', archived: false }, 'NEW', 'statusChanged'],
    [{ status: 'CONVERTED', archived: false }, 'QUALIFIED', 'converted'],
    [{ status: 'CONVERTED', archived: true }, null, 'converted'],
    [{ status: 'NEW', archived: true }, 'NEW', 'statusChanged'],
    // Enrolled before its status was recorded: only conversion and archiving stop it.
    [{ status: 'CONTACTED', archived: false }, null, null],
  ] as const)('%o enrolled at %s → %s', (lead, enrolledStatus, expected) => {
    expect(stopReasonFor(lead, enrolledStatus)).toBe(expected);
  });
});

describe('positions', () => {
  it('waits the next step’s hours after a step, and completes after the last', () => {
    expect(firstRunAt(steps, 1000)).toBe(1000);
    expect(positionAfterStep(steps, 0, 1000)).toEqual({ stepIndex: 1, status: 'active', nextRunAt: 1000 + 24 * HOUR_MS });
    expect(positionAfterStep(steps, 1, 1000)).toEqual({ stepIndex: 2, status: 'completed', nextRunAt: null });
  });
});

describe('fillTemplate', () => {
  it.each([
    ['Hi {{firstName}}', { firstName: 'Ana' }, 'Hi Ana'],
    ['{{ firstName }} at {{companyName}}', { firstName: 'Ana', companyName: 'Acme' }, 'Ana at Acme'],
    ['Dear {{title}} {{lastName}}', { title: null, lastName: 'Berg' }, 'Dear  Berg'],
    ['Keep {{unknown}} as written', {}, 'Keep {{unknown}} as written'],
  ])('%s', (text, lead, expected) => {
    expect(fillTemplate(text, lead)).toBe(expected);
  });
});
