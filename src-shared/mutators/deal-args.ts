// Deal fields as mutation args: the editable ones, and the patch a board sends with a drop.
import { z } from 'zod';
import { CalendarDate, CurrencyCode, Id, MinorUnits, ShortText } from '../domain/common.schema';

/** Fields a person edits on a deal; undefined leaves a field alone, null clears it. */
export const DealFields = z.object({
  name: ShortText.min(1).optional(),
  amountMinor: MinorUnits.nullable().optional(),
  currency: CurrencyCode.optional(),
  discountPct: z.number().min(0).max(100).nullable().optional(),
  companyId: Id.nullable().optional(),
  contactId: Id.nullable().optional(),
  expectedCloseDate: CalendarDate.nullable().optional(),
  nextStep: ShortText.nullable().optional(),
  probability: z.number().int().min(0).max(100).optional(),
});
export type DealFields = z.output<typeof DealFields>;

/** The required fields a board may fill in when a deal is dropped on a stage that needs them. */
export const DealMovePatchArgs = DealFields.pick({ amountMinor: true, expectedCloseDate: true, contactId: true, companyId: true, nextStep: true, discountPct: true });

/** A won/lost reason and an optional note. */
export const CloseReason = z.object({ reasonId: Id, note: z.string().trim().max(2000).optional() });
