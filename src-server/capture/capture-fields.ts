// Maps a post's fields onto a lead through the form's field map, and validates them, naming the posted field at fault.
import { AppError, ErrorCode } from '../../src-shared/api/errors';
import { LongText } from '../../src-shared/domain/common.schema';
import type { FieldProblem } from '../../src-shared/domain/result';
import { LeadFields } from '../../src-shared/mutators/lead-args';
import {
  BUILT_IN_FIELD_MAP,
  CAPTURE_IDENTITY_TARGETS,
  CAPTURE_TARGETS,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  QUERY_SOURCE_FIELDS,
} from '../../src-shared/http/capture.http';
import type { CaptureTarget } from '../../src-shared/http/capture.http';
import type { PostedFields, PostedValue } from './capture-body';

/** What a form says about reading its posts (a row of `forms`). */
export interface CaptureFormFields {
  key: string;
  fieldMap: Record<string, string>;
  defaults: { source: string | null; medium: string | null; campaign: string | null };
  honeypotField: string | null;
  submissionIdField: string | null;
}

/** The lead a submission describes (before ids, scoring and the duplicate check), plus its message. */
export interface CaptureDraft {
  lead: {
    firstName: string;
    lastName: string;
    email: string | null;
    phone: string | null;
    companyName: string | null;
    title: string | null;
    country: string | null;
    region: string | null;
    source: string | null;
    medium: string | null;
    campaign: string | null;
    referrer: string | null;
    formKey: string;
  };
  /** The sender's message, stored as a note activity on the lead. */
  note: string | null;
}

export interface SubmissionInput {
  fields: PostedFields;
  /** The parsed query string of the capture URL (UTM parameters may ride on it). */
  query: unknown;
  /** The `Referer` header, used when the post carries no referrer field. */
  referer: string | undefined;
}

const TARGETS: ReadonlySet<string> = new Set(CAPTURE_TARGETS);
const MAX_REFERRER = 2000;
/** LongText's limit, the longest activity body. */
const MAX_NOTE = 20_000;
// C0 controls other than tab, newline and carriage return, and DEL: PostgreSQL cannot store NUL, and none of them
// belongs in a name or an address.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

function targetOf(name: string, form: CaptureFormFields): CaptureTarget | undefined {
  const mapped = Object.hasOwn(form.fieldMap, name) ? form.fieldMap[name] : undefined;
  if (mapped !== undefined) return TARGETS.has(mapped) ? (mapped as CaptureTarget) : undefined;
  if (Object.hasOwn(BUILT_IN_FIELD_MAP, name)) return BUILT_IN_FIELD_MAP[name];
  return TARGETS.has(name) ? (name as CaptureTarget) : undefined;
}

/** A posted value as text, or a problem: text and numbers pass, null and '' are absent, anything else is refused. */
function asText(value: PostedValue | undefined): { text: string | null } | { problem: string } {
  if (value === undefined || value === null) return { text: null };
  if (typeof value === 'number') return Number.isFinite(value) ? { text: String(value) } : { problem: 'expected text' };
  if (typeof value !== 'string') return { problem: Array.isArray(value) ? 'expected a single value, got several' : 'expected text' };
  if (!value.isWellFormed()) return { problem: 'contains an invalid character (a lone surrogate)' };
  if (CONTROL.test(value)) return { problem: 'contains a control character' };
  return { text: value };
}

/** The honeypot is filled when its field carries anything but blanks: a person never sees it, a bot fills it. */
export function honeypotFilled(fields: PostedFields, form: Pick<CaptureFormFields, 'honeypotField'>): boolean {
  if (!form.honeypotField) return false;
  const value = fields.get(form.honeypotField);
  if (value === undefined || value === null) return false;
  return typeof value !== 'string' || value.trim() !== '';
}

/** The submission's idempotency key: the header, else the form's submission id field; null when neither is given. */
export function submissionKey(fields: PostedFields, header: string | string[] | undefined, form: Pick<CaptureFormFields, 'submissionIdField'>): string | null {
  const fromHeader = header !== undefined;
  const where = fromHeader ? 'Idempotency-Key' : (form.submissionIdField ?? '');
  const raw: PostedValue | undefined = fromHeader ? header : form.submissionIdField ? fields.get(form.submissionIdField) : undefined;
  const value = asText(raw);
  const problem = 'problem' in value ? value.problem
    : value.text !== null && value.text.length > MAX_IDEMPOTENCY_KEY_LENGTH ? `longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` : null;
  if (problem) throw new AppError(ErrorCode.VALIDATION, `invalid idempotency key: ${problem}`, [{ path: where, message: problem }]);
  const key = 'text' in value ? value.text?.trim() ?? '' : '';
  return key === '' ? null : key;
}

/**
 * The lead a submission describes, or a VALIDATION error listing every problem by the posted field's name.
 * Precedence: a posted field over the query string over the form's defaults (source, medium, campaign); a referrer
 * field over the Referer header. Fields the form does not map are ignored.
 */
export function mapSubmission(input: SubmissionInput, form: CaptureFormFields): CaptureDraft {
  const problems: FieldProblem[] = [];
  const values = new Map<CaptureTarget, string>();
  /** Which posted name supplied each target, so a problem names what the sender posted. */
  const origin = new Map<CaptureTarget, string>();

  const take = (name: string, target: CaptureTarget, value: PostedValue | undefined) => {
    const t = asText(value);
    if ('problem' in t) return void problems.push({ path: name, message: t.problem });
    if (t.text === null || values.has(target)) return;
    const text = target === 'message' ? t.text : t.text.replace(/[\t\r\n]+/g, ' ');
    if (text.trim() === '') return;
    values.set(target, text);
    origin.set(target, name);
  };

  for (const [name, value] of input.fields) {
    if (name === form.honeypotField || name === form.submissionIdField) continue;
    const target = targetOf(name, form);
    if (target) take(name, target, value);
  }
  const query = (input.query ?? {}) as Record<string, unknown>;
  for (const name of QUERY_SOURCE_FIELDS) {
    if (Object.hasOwn(query, name)) take(name, BUILT_IN_FIELD_MAP[name]!, query[name] as PostedValue);
  }
  for (const target of ['source', 'medium', 'campaign'] as const) {
    const fallback = form.defaults[target];
    if (!values.has(target) && fallback) values.set(target, fallback);
  }
  if (!values.has('referrer') && input.referer) {
    const referer = asText(input.referer);
    // A header is not the sender's typing: an odd one is dropped, a long one cut, rather than refusing the lead.
    if ('text' in referer && referer.text) values.set('referrer', referer.text.slice(0, MAX_REFERRER));
  }

  const nameOf = (target: CaptureTarget) => origin.get(target) ?? Object.keys(form.fieldMap).find((k) => form.fieldMap[k] === target) ?? target;
  const parsed = LeadFields.safeParse(Object.fromEntries([...values].filter(([target]) => target !== 'message')));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ path: nameOf(issue.path[0] as CaptureTarget), message: issue.message });
  }
  const note = values.get('message') ?? null;
  if (note !== null && !LongText.safeParse(note).success) problems.push({ path: nameOf('message'), message: `longer than ${MAX_NOTE} characters` });
  if (!CAPTURE_IDENTITY_TARGETS.some((t) => values.has(t))) {
    for (const t of CAPTURE_IDENTITY_TARGETS) problems.push({ path: nameOf(t), message: 'an email, a phone or a last name is required' });
  }
  if (problems.length > 0 || !parsed.success) {
    const summary = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw new AppError(ErrorCode.VALIDATION, `invalid submission: ${summary}`, problems);
  }

  const f = parsed.data;
  return {
    lead: {
      firstName: f.firstName ?? '',
      lastName: f.lastName ?? '',
      email: f.email ?? null,
      phone: f.phone ?? null,
      companyName: f.companyName ?? null,
      title: f.title ?? null,
      country: f.country ?? null,
      region: f.region ?? null,
      source: f.source ?? null,
      medium: f.medium ?? null,
      campaign: f.campaign ?? null,
      referrer: f.referrer ?? null,
      formKey: form.key,
    },
    note,
  };
}
