// Amount entry: what a rep types in currency units becomes the minor units a deal stores, or a clear reason why not.
import { describe, expect, it } from 'vitest';
import { currencyDigits, formatMinor, parseAmountToMinor } from '../../../src-renderer/lead-detail/money-input';

describe('parseAmountToMinor', () => {
  it.each([
    ['', 2, null],
    ['   ', 2, null],
    ['12500', 2, 1_250_000],
    ['12500.5', 2, 1_250_050],
    ['12500.50', 2, 1_250_050],
    ['12,5', 2, 1250],
    ['0.05', 2, 5],
    ['1,500', 2, 150_000],
    ['1.500', 2, 150_000],
    ['1,234,567', 2, 123_456_700],
    ['1,234.56', 2, 123_456],
    ['1.234,56', 2, 123_456],
    ['1 234,56', 2, 123_456],
    ["1'234.56", 2, 123_456],
    ['1500', 0, 1500],
    ['1,500', 0, 1500],
    ['1.500', 3, 1500],
    ['2.5', 3, 2500],
  ] as const)('%j with %i minor digits is %j', (text, digits, minor) => {
    expect(parseAmountToMinor(text, digits)).toEqual({ ok: true, minor });
  });

  it.each([
    ['-5', 2, 'the amount cannot be negative'],
    ['12a', 2, 'expected an amount such as 12500 or 12,500.50'],
    ['12.', 2, 'expected an amount such as 12500 or 12,500.50'],
    ['.5', 2, 'expected an amount such as 12500 or 12,500.50'],
    ['1.2.3', 2, 'expected an amount such as 12500 or 12,500.50'],
    ['12,34.5', 2, 'expected an amount such as 12500 or 12,500.50'],
    ['1.234.5,6', 2, 'expected an amount such as 12500 or 12,500.50'],
    ['1.505', 3, 'ok'],
    ['1.5055', 3, 'at most 3 decimal places'],
    ['12.345', 2, 'ok'],
    ['12.3456', 2, 'at most 2 decimal places'],
    ['1.5', 0, 'this currency has no decimal places'],
    ['99999999999999999', 2, 'the amount is too large'],
  ] as const)('%j with %i minor digits: %s', (text, digits, message) => {
    const parsed = parseAmountToMinor(text, digits);
    if (message === 'ok') expect(parsed.ok).toBe(true);
    else expect(parsed).toEqual({ ok: false, message });
  });
});

describe('currencies', () => {
  it.each([
    ['EUR', 2],
    ['JPY', 0],
    ['KWD', 3],
    ['XYZ', 2],
  ])('%s has %i minor digits', (code, digits) => {
    expect(currencyDigits(code)).toBe(digits);
  });

  it.each([
    [1_250_050, 'EUR', '€12,500.50'],
    [1500, 'JPY', '¥1,500'],
    [0, 'USD', '$0.00'],
  ])('%i minor units of %s read %s', (minor, currency, text) => {
    expect(formatMinor(minor, currency, 'en-US')).toBe(text);
  });
});
