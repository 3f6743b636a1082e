// The lead's editable fields in two groups: who the lead is, and where it came from.
import type { Lead } from '../../src-shared/domain/leads.schema';
import type { LeadFields } from '../../src-shared/mutators/lead-args';
import { EditableField } from './EditableField';

const PERSON: (keyof LeadFields)[] = ['firstName', 'lastName', 'email', 'phone', 'companyName', 'title', 'country', 'region'];
const SOURCE: (keyof LeadFields)[] = ['source', 'medium', 'campaign', 'referrer', 'formKey'];

export function LeadFieldsCard({ lead, onSaved }: { lead: Lead; onSaved(lead: Lead): void }) {
  return (
    <section className="card" aria-label="Lead fields">
      <h3>Details</h3>
      <p className="muted ld-hint">Click a value (or Enter on it) to edit; Enter or leaving the field saves, Escape cancels.</p>
      <div className="ld-fields">
        {PERSON.map((f) => (
          <EditableField key={f} lead={lead} field={f} onSaved={onSaved} />
        ))}
      </div>
      <h4>Source fields</h4>
      <div className="ld-fields">
        {SOURCE.map((f) => (
          <EditableField key={f} lead={lead} field={f} onSaved={onSaved} />
        ))}
      </div>
    </section>
  );
}
