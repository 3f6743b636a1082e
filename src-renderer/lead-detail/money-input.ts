// Amounts typed in currency units ("12,500.50") turned into integer minor units, and minor units shown as money.

export type ParsedAmount = { ok: true; minor: number | null } | { ok: false; message: string };

/** How many minor digits a currency has (EUR 2, JPY 0, KWD 3); 2 for a code Intl does not know. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

const EXAMPLE = 'expected an amount such as 12500 or 12,500.50';

/** Digits between grouping separators come in threes ("1,234,567"); the first group has one to three. */
const groupsValid = (groups: string[]) => groups.every((g, i) => (i === 0 ? /^\d{1,3}$/.test(g) : /^\d{3}$/.test(g)));

/**
 * Reads an amount in currency units; '' is no amount (null). Accepts "." or "," as the decimal separator and the
 * other (or spaces, apostrophes) as grouping: a lone separator followed by exactly three digits, in a currency with
 * fewer minor digits, is grouping ("1,500" is fifteen hundred).
 */
export function parseAmountToMinor(text: string, digits = 2): ParsedAmount {
  const s = text.trim().replace(/[\s\u00a0\u202f'’]/g, '');
  if (s === '') return { ok: true, minor: null };
  if (s.startsWith('-')) return { ok: false, message: 'the amount cannot be negative' };
  if (!/^\d[\d.,]*$/.test(s) || /[.,]$/.test(s)) return { ok: false, message: EXAMPLE };

  let whole: string;
  let fraction = '';
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    // Both present: the later one is the decimal separator, the other groups.
    const decimal = lastDot > lastComma ? '.' : ',';
    const at = Math.max(lastDot, lastComma);
    fraction = s.slice(at + 1);
    const groups = s.slice(0, at).split(decimal === '.' ? ',' : '.');
    if (groups.some((g) => g.includes(decimal)) || !groupsValid(groups)) return { ok: false, message: EXAMPLE };
    whole = groups.join('');
  } else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? '.' : ',';
    const parts = s.split(sep);
    const tail = parts[parts.length - 1]!;
    if (parts.length > 2 || (tail.length === 3 && digits < 3)) {
      if (!groupsValid(parts)) return { ok: false, message: EXAMPLE };
      whole = parts.join('');
    } else {
      whole = parts[0]!;
      fraction = tail;
    }
  } else {
    whole = s;
  }
  if (fraction.length > digits) {
    return { ok: false, message: digits === 0 ? 'this currency has no decimal places' : `at most ${digits} decimal places` };
  }
  const minor = Number(`${whole}${fraction.padEnd(digits, '0')}`);
  if (!Number.isSafeInteger(minor)) return { ok: false, message: 'the amount is too large' };
  return { ok: true, minor };
}

/** Minor units as money in the user's locale ("€12,500.50"). */
export function formatMinor(minor: number, currency: string, locale?: string): string {
  const digits = currencyDigits(currency);
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(minor / 10 ** digits);
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}
