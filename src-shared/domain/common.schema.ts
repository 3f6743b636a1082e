// Building blocks shared by every entity schema: ids, instants, money, names.
import { z } from 'zod';

/** Client-generated id (UUIDv7 or ULID); shared code never makes one, it is passed in. */
export const Id = z.string().min(1).max(64);
export type Id = z.infer<typeof Id>;

/** A UTC instant as epoch milliseconds. */
export const Instant = z.number().int().nonnegative();
export type Instant = z.infer<typeof Instant>;

/** A calendar date `YYYY-MM-DD` (e.g. a deal's expected close date). */
export const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
export type CalendarDate = z.infer<typeof CalendarDate>;

/** Money in integer minor units (cents). */
export const MinorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR');
export type CurrencyCode = z.infer<typeof CurrencyCode>;

export const Email = z.string().trim().max(254).email();
export const ShortText = z.string().trim().max(200);
export const LongText = z.string().max(20_000);

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
