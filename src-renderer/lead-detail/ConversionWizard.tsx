// The conversion wizard: company (suggested, searched or new), contact (suggested or new), an optional deal, then leads.convert.
import { useEffect, useRef, useState } from 'react';
import type { AppOutput } from '../../src-shared/api/host.api';
import type { Company, Contact, Lead } from '../../src-shared/domain/leads.schema';
import { useQuery } from '../hooks/useQuery';
import { api, messageOf } from '../state/app-store';
import { fieldErrorsOf } from './field-errors';
import { currencyDigits, formatMinor, parseAmountToMinor } from './money-input';

type Preview = AppOutput<'leads.conversionPreview'>;
type Result = AppOutput<'leads.convert'>;
type Step = 1 | 2 | 3 | 4;

const STEP_NAMES: Record<Step, string> = { 1: 'Company', 2: 'Contact', 3: 'Deal', 4: 'Confirm' };

type CompanyPick = { kind: 'suggested' } | { kind: 'search'; company: Company | null } | { kind: 'new' };
type ContactPick = 'suggested' | 'new';

interface DealDraft {
  enabled: boolean;
  pipelineId: string;
  stageId: string;
  name: string;
  amount: string;
  closeDate: string;
}

const personOf = (p: { firstName: string; lastName: string; email: string | null }) => `${p.firstName} ${p.lastName}`.trim() + (p.email ? ` <${p.email}>` : '');
const companyText = (c: Company) => `${c.name}${c.domain ? ` (${c.domain})` : ''}`;
/** A stage's required deal fields, as the deal step's inputs name them. */
const REQUIRED_LABELS: Record<string, string> = {
  amountMinor: 'amount', expectedCloseDate: 'expected close date', contactId: 'a contact', companyId: 'a company', nextStep: 'a next step', discountPct: 'a discount',
};
const MATCH_REASON = { domain: 'the lead’s email domain is the company’s domain', name: 'the lead’s company name matches' } as const;

/** Companies whose name or domain contains the text; the latest answer wins. */
function useCompanySearch(text: string, enabled: boolean): Company[] {
  const [found, setFound] = useState<Company[]>([]);
  const seq = useRef(0);
  useEffect(() => {
    if (!enabled) return;
    const mine = ++seq.current;
    api()
      .call('companies.search', { text, limit: 10 })
      .then((rows) => mine === seq.current && setFound(rows), () => mine === seq.current && setFound([]));
  }, [text, enabled]);
  return found;
}

function ConversionDone({ result, created, pipelines }: { result: Result; created: { company: boolean; contact: boolean }; pipelines: AppOutput<'pipelines.list'> | undefined }) {
  const { company, contact, deal } = result;
  const p = deal && pipelines?.find((x) => x.pipeline.id === deal.pipelineId);
  const stage = deal && p?.stages.find((s) => s.id === deal.stageId);
  return (
    <div data-testid="conversion-result">
      <p className="ok">The lead is converted.</p>
      <ul>
        <li data-testid="result-company">
          Company: {company ? `${created.company ? 'created' : 'linked existing'} ${companyText(company)}` : 'none (the lead names no company)'}
        </li>
        <li data-testid="result-contact">
          Contact: {created.contact ? 'created' : 'linked existing'} {personOf(contact)}
        </li>
        <li data-testid="result-deal">
          Deal:{' '}
          {deal
            ? `created ${deal.name}${deal.amountMinor !== null ? `, ${formatMinor(deal.amountMinor, deal.currency)}` : ''}${p ? ` in ${p.pipeline.name}` : ''}${stage ? ` / ${stage.name}` : ''}${deal.expectedCloseDate ? `, closing ${deal.expectedCloseDate}` : ''}`
            : 'none'}
        </li>
      </ul>
    </div>
  );
}

export function ConversionWizard({ lead, onClose }: { lead: Lead; onClose(): void }) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const pipelines = useQuery('pipelines.list', {}, ['pipelines', 'stages']).data;
  const [step, setStep] = useState<Step>(1);
  const [companyPick, setCompanyPick] = useState<CompanyPick>({ kind: 'new' });
  const [search, setSearch] = useState(lead.companyName ?? '');
  const [contactPick, setContactPick] = useState<ContactPick>('new');
  const [deal, setDeal] = useState<DealDraft>({ enabled: true, pipelineId: '', stageId: '', name: '', amount: '', closeDate: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ result: Result; created: { company: boolean; contact: boolean } } | null>(null);
  const found = useCompanySearch(search, companyPick.kind === 'search');

  useEffect(() => {
    api()
      .call('leads.conversionPreview', { leadId: lead.id })
      .then((p) => {
        setPreview(p);
        if (p.company) setCompanyPick({ kind: 'suggested' });
        if (p.contact) setContactPick('suggested');
      }, (err: unknown) => setMessage(messageOf(err)));
  }, [lead.id]);

  // The first pipeline and its first open stage, once the pipelines are known.
  const pipeline = pipelines?.find((p) => p.pipeline.id === deal.pipelineId) ?? pipelines?.[0];
  const openStages = (pipeline?.stages ?? []).filter((s) => s.kind === 'open').sort((a, b) => a.position - b.position);
  const stage = openStages.find((s) => s.id === deal.stageId) ?? openStages[0];
  const currency = pipeline?.pipeline.currency ?? 'EUR';

  const chosenCompany: Company | null = companyPick.kind === 'suggested' ? (preview?.company?.company ?? null) : companyPick.kind === 'search' ? companyPick.company : null;
  const chosenContact: Contact | null = contactPick === 'suggested' ? (preview?.contact ?? null) : null;
  const newCompanyName = lead.companyName ?? (lead.email ? lead.email.split('@')[1] : null);

  const go = (to: Step) => {
    setMessage(null);
    setStep(to);
  };

  const dealStepNext = () => {
    if (!deal.enabled) return go(4);
    const amount = parseAmountToMinor(deal.amount, currencyDigits(currency));
    if (!amount.ok) return setErrors({ amountMinor: amount.message });
    setErrors({});
    go(4);
  };

  const convert = () => {
    const amount = parseAmountToMinor(deal.amount, currencyDigits(currency));
    setBusy(true);
    setMessage(null);
    setErrors({});
    api()
      .call('leads.convert', {
        leadId: lead.id,
        company: chosenCompany ? { kind: 'existing', companyId: chosenCompany.id } : { kind: 'new' },
        contact: chosenContact ? { kind: 'existing', contactId: chosenContact.id } : { kind: 'new' },
        deal:
          deal.enabled && pipeline
            ? {
                pipelineId: pipeline.pipeline.id,
                ...(stage ? { stageId: stage.id } : {}),
                ...(deal.name.trim() ? { name: deal.name.trim() } : {}),
                amountMinor: amount.ok ? amount.minor : null,
                expectedCloseDate: deal.closeDate || null,
              }
            : null,
      })
      .then((result) => setDone({ result, created: { company: !chosenCompany, contact: !chosenContact } }), (err: unknown) => {
        const dealFields = fieldErrorsOf(err, 'deal.');
        setMessage(messageOf(err));
        setErrors(dealFields);
        // A refusal about the deal (a stage's required fields, say) is fixed on the deal step.
        if (Object.keys(dealFields).some((f) => ['amountMinor', 'expectedCloseDate', 'stageId', 'name', 'pipelineId'].includes(f))) setStep(3);
      })
      .finally(() => setBusy(false));
  };

  const stepNav = (
    <ol className="ld-steps" aria-label="Steps">
      {([1, 2, 3, 4] as Step[]).map((s) => (
        <li key={s} aria-current={s === step && !done ? 'step' : undefined}>
          {s}. {STEP_NAMES[s]}
        </li>
      ))}
    </ol>
  );

  return (
    <section className="card ld-wizard" role="dialog" aria-label="Convert lead" data-testid="convert-wizard">
      <h3>Convert {`${lead.firstName} ${lead.lastName}`.trim() || 'lead'}</h3>
      {stepNav}
      {done ? (
        <>
          <ConversionDone result={done.result} created={done.created} pipelines={pipelines} />
          <button type="button" onClick={onClose}>
            Close
          </button>
        </>
      ) : (
        <>
          <p data-testid="wizard-step">
            Step {step} of 4: {STEP_NAMES[step]}
          </p>
          {step === 1 && (
            <fieldset>
              <legend>Which company does the lead belong to?</legend>
              {preview?.company && (
                <label className="ld-radio">
                  <input type="radio" name="conv-company" checked={companyPick.kind === 'suggested'} onChange={() => setCompanyPick({ kind: 'suggested' })} />
                  <span>
                    Link the existing company <strong data-testid="suggested-company">{companyText(preview.company.company)}</strong>{' '}
                    <span className="muted" data-testid="suggested-company-why">
                      (suggested: {MATCH_REASON[preview.company.matchedBy]})
                    </span>
                  </span>
                </label>
              )}
              <label className="ld-radio">
                <input type="radio" name="conv-company" checked={companyPick.kind === 'search'} onChange={() => setCompanyPick({ kind: 'search', company: null })} />
                Link another existing company
              </label>
              {companyPick.kind === 'search' && (
                <div className="ld-search">
                  <label>
                    Search companies
                    <input value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name or domain" />
                  </label>
                  {found.length === 0 ? (
                    <p className="muted">No company matches.</p>
                  ) : (
                    <ul aria-label="Companies found">
                      {found.map((c) => (
                        <li key={c.id}>
                          <label className="ld-radio">
                            <input type="radio" name="conv-company-found" checked={companyPick.company?.id === c.id} onChange={() => setCompanyPick({ kind: 'search', company: c })} />
                            {companyText(c)}
                          </label>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              )}
              <label className="ld-radio">
                <input type="radio" name="conv-company" checked={companyPick.kind === 'new'} onChange={() => setCompanyPick({ kind: 'new' })} />
                {newCompanyName ? `Create a new company “${newCompanyName}”` : 'Create a new company (the lead names none: the API will say what is missing)'}
              </label>
              <div className="ld-buttons">
                <button type="button" className="primary" disabled={companyPick.kind === 'search' && !companyPick.company} onClick={() => go(2)}>
                  Next: contact
                </button>
                <button type="button" onClick={onClose}>
                  Cancel
                </button>
              </div>
            </fieldset>
          )}
          {step === 2 && (
            <fieldset>
              <legend>Which contact is the lead?</legend>
              {preview?.contact && (
                <label className="ld-radio">
                  <input type="radio" name="conv-contact" checked={contactPick === 'suggested'} onChange={() => setContactPick('suggested')} />
                  <span>
                    Link the existing contact <strong data-testid="suggested-contact">{personOf(preview.contact)}</strong> <span className="muted">(same email)</span>
                  </span>
                </label>
              )}
              <label className="ld-radio">
                <input type="radio" name="conv-contact" checked={contactPick === 'new'} onChange={() => setContactPick('new')} />
                Create a new contact {personOf(lead)}
              </label>
              <div className="ld-buttons">
                <button type="button" onClick={() => go(1)}>
                  Back
                </button>
                <button type="button" className="primary" onClick={() => go(3)}>
                  Next: deal
                </button>
              </div>
            </fieldset>
          )}
          {step === 3 && (
            <fieldset>
              <legend>A deal to go with it (optional)</legend>
              <label className="ld-radio">
                <input type="checkbox" checked={deal.enabled} onChange={(e) => setDeal({ ...deal, enabled: e.target.checked })} />
                Create a deal
              </label>
              {deal.enabled && (
                <div className="ld-deal-grid">
                  <label>
                    Pipeline
                    <select value={pipeline?.pipeline.id ?? ''} onChange={(e) => setDeal({ ...deal, pipelineId: e.target.value, stageId: '' })}>
                      {pipelines?.map((p) => (
                        <option key={p.pipeline.id} value={p.pipeline.id}>
                          {p.pipeline.name}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    Stage
                    <select value={stage?.id ?? ''} aria-invalid={errors.stageId ? true : undefined} onChange={(e) => setDeal({ ...deal, stageId: e.target.value })}>
                      {openStages.map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.name}
                          {s.requiredFields.length > 0 ? ` (requires ${s.requiredFields.map((f) => REQUIRED_LABELS[f] ?? f).join(', ')})` : ''}
                        </option>
                      ))}
                    </select>
                    {errors.stageId && <span className="field-error">{errors.stageId}</span>}
                  </label>
                  <label>
                    Deal name
                    <input value={deal.name} placeholder={lead.companyName ?? `${lead.firstName} ${lead.lastName}`.trim()} onChange={(e) => setDeal({ ...deal, name: e.target.value })} />
                  </label>
                  <label>
                    Amount ({currency})
                    <input
                      value={deal.amount}
                      inputMode="decimal"
                      placeholder="12,500.00"
                      aria-invalid={errors.amountMinor ? true : undefined}
                      data-testid="deal-amount"
                      onChange={(e) => setDeal({ ...deal, amount: e.target.value })}
                    />
                    {errors.amountMinor && (
                      <span className="field-error" data-testid="error-amountMinor">
                        {errors.amountMinor}
                      </span>
                    )}
                  </label>
                  <label>
                    Expected close date
                    <input
                      type="date"
                      value={deal.closeDate}
                      aria-invalid={errors.expectedCloseDate ? true : undefined}
                      data-testid="deal-close-date"
                      onChange={(e) => setDeal({ ...deal, closeDate: e.target.value })}
                    />
                    {errors.expectedCloseDate && (
                      <span className="field-error" data-testid="error-expectedCloseDate">
                        {errors.expectedCloseDate}
                      </span>
                    )}
                  </label>
                </div>
              )}
              <div className="ld-buttons">
                <button type="button" onClick={() => go(2)}>
                  Back
                </button>
                <button type="button" className="primary" onClick={dealStepNext}>
                  Next: confirm
                </button>
              </div>
            </fieldset>
          )}
          {step === 4 && (
            <div>
              <ul data-testid="conversion-summary">
                <li>Company: {chosenCompany ? `link ${companyText(chosenCompany)}` : `create ${newCompanyName ?? '(none named)'}`}</li>
                <li>Contact: {chosenContact ? `link ${personOf(chosenContact)}` : `create ${personOf(lead)}`}</li>
                <li>
                  Deal:{' '}
                  {deal.enabled && pipeline
                    ? (() => {
                        const amount = parseAmountToMinor(deal.amount, currencyDigits(currency));
                        const money = amount.ok && amount.minor !== null ? `, ${formatMinor(amount.minor, currency)}` : '';
                        return `create ${deal.name.trim() || '(named after the company)'} in ${pipeline.pipeline.name} / ${stage?.name ?? 'first stage'}${money}${deal.closeDate ? `, closing ${deal.closeDate}` : ''}`;
                      })()
                    : 'none'}
                </li>
              </ul>
              <div className="ld-buttons">
                <button type="button" onClick={() => go(3)}>
                  Back
                </button>
                <button type="button" className="primary" disabled={busy} onClick={convert}>
                  Convert
                </button>
              </div>
            </div>
          )}
          {message && (
            <p className="error" role="alert" data-testid="convert-error">
              {message}
            </p>
          )}
        </>
      )}
    </section>
  );
}
