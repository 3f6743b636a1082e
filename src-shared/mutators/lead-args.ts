// The editable lead fields as mutation args: blanks become null, undefined means "leave alone".
import { z } from 'zod';
import { Email, ShortText } from '../domain/common.schema';

const blankToNull = (v: string) => (v === '' ? null : v);

/** Optional text: trimmed, '' → null, null clears. */
const text = (max: number) => z.string().trim().max(max).transform(blankToNull).nullable().optional();

const country = z
  .string()
  .trim()
  .transform(blankToNull)
  .pipe(z.string().regex(/^[A-Za-z]{2}$/, 'expected a two-letter country code').transform((c) => c.toUpperCase()).nullable())
  .nullable()
  .optional();

/** The lead fields a person edits (a form, a CSV row). */
export const LeadFields = z.object({
  firstName: ShortText.optional(),
  lastName: ShortText.optional(),
  email: z.string().trim().transform(blankToNull).pipe(Email.nullable()).nullable().optional(),
  phone: text(40),
  companyName: text(200),
  title: text(200),
  country,
  region: text(200),
  source: text(200),
  medium: text(200),
  campaign: text(200),
  referrer: text(2000),
  formKey: text(200),
});
export type LeadFields = z.output<typeof LeadFields>;
export type LeadFieldsInput = z.input<typeof LeadFields>;

export const LEAD_FIELD_KEYS = Object.keys(LeadFields.shape) as (keyof LeadFields)[];
