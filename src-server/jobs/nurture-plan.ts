// Pure rules of nurture sequences: who enrols, when an enrolment stops, when its next step runs, template filling.
import type { NurtureSequence, NurtureStep } from '../../src-shared/domain/automation.schema';
import { HOUR_MS } from '../../src-shared/domain/common.schema';
import { matchesAll } from '../../src-shared/domain/lead-filter';
import type { LeadRuleFields } from '../../src-shared/domain/lead-filter';
import type { Lead, LeadStatus } from '../../src-shared/domain/leads.schema';

export type EnrollableLead = LeadRuleFields & Pick<Lead, 'status' | 'archived'>;

/** A lead enrols in an active sequence when its status is one the sequence takes and it matches every filter. */
export function shouldEnroll(lead: EnrollableLead, sequence: Pick<NurtureSequence, 'active' | 'enrollStatuses' | 'enrollFilters' | 'steps'>): boolean {
  return sequence.active && !lead.archived && sequence.steps.length > 0 && sequence.enrollStatuses.includes(lead.status) && matchesAll(lead, sequence.enrollFilters);
}

/**
 * Why an active enrolment must stop now, judged from the lead alone (a reply is recorded where it arrives):
 * conversion, or any status change since enrolment (including disqualification and archiving).
 */
export function stopReasonFor(lead: Pick<Lead, 'status' | 'archived'>, enrolledStatus: LeadStatus | null): 'converted' | 'statusChanged' | null {
  if (lead.status === 'CONVERTED') return 'converted';
  if (enrolledStatus !== null && lead.status !== enrolledStatus) return 'statusChanged';
  if (lead.archived) return 'statusChanged';
  return null;
}

export interface EnrollmentPosition {
  stepIndex: number;
  status: 'active' | 'completed';
  nextRunAt: number | null;
}

/** Where an enrolment stands once step `stepIndex` is done at `now`: the next step after its wait, or completed. */
export function positionAfterStep(steps: readonly NurtureStep[], stepIndex: number, now: number): EnrollmentPosition {
  const next = stepIndex + 1;
  const step = steps[next];
  return step ? { stepIndex: next, status: 'active', nextRunAt: now + step.waitHours * HOUR_MS } : { stepIndex: next, status: 'completed', nextRunAt: null };
}

/** The first step's due time for an enrolment made at `now`. */
export function firstRunAt(steps: readonly NurtureStep[], now: number): number {
  return now + (steps[0]?.waitHours ?? 0) * HOUR_MS;
}

const PLACEHOLDERS = ['firstName', 'lastName', 'companyName', 'title'] as const;
type TemplateLead = Partial<Record<(typeof PLACEHOLDERS)[number], string | null>>;

/** Fills `{{firstName}}`, `{{lastName}}`, `{{companyName}}` and `{{title}}`; a missing value becomes empty. */
export function fillTemplate(text: string, lead: TemplateLead): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    (PLACEHOLDERS as readonly string[]).includes(name) ? (lead[name as keyof TemplateLead] ?? '') : whole,
  );
}
