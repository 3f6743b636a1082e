// The names people read for a lead's fields, shared by the field editor, the merge preview and the history.
import type { LeadFields } from '../../src-shared/mutators/lead-args';

export const LEAD_FIELD_LABELS: Record<keyof LeadFields, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  phone: 'Phone',
  companyName: 'Company',
  title: 'Title',
  country: 'Country',
  region: 'Region',
  source: 'Source',
  medium: 'Medium',
  campaign: 'Campaign',
  referrer: 'Referrer',
  formKey: 'Form',
};

/** Labels of the other fields a lead's history shows. */
const OTHER_LABELS: Record<string, string> = {
  status: 'Status',
  disqualifyReason: 'Disqualification reason',
  score: 'Score',
  winProbability: 'Win probability',
  ownerId: 'Owner',
  teamId: 'Team',
  possibleDuplicateOf: 'Possible duplicate of',
  convertedContactId: 'Converted contact',
  convertedCompanyId: 'Converted company',
  convertedDealId: 'Converted deal',
  lastActivityAt: 'Last activity',
  archived: 'Archived',
  mergedLeadId: 'Merged lead',
  mergedInto: 'Merged into',
  fromLeadId: 'From lead',
};

/** A field's label; an unknown camelCase name reads as words ("nextStep" → "Next step"). */
export function fieldLabel(field: string): string {
  const known = (LEAD_FIELD_LABELS as Record<string, string>)[field] ?? OTHER_LABELS[field];
  if (known) return known;
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
