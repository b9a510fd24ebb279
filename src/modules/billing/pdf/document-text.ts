/**
 * How a document's numbers read to a person: grouped money, quantities with their unit, rates with
 * what they are per, payment terms. The PDF and the accounting exports share these so that a line
 * reads the same on the invoice and in the customer's books. Money stays a decimal string throughout.
 */
import { Decimal, currencyMinorUnits, formatMoney, parseMoney } from '../../../wire/money.ts';
import type { DocumentLine } from '../../../wire/billing.ts';

/** Groups the integer part of a plain decimal string by thousands: "-1234567.50" → "-1,234,567.50". */
export function groupThousands(decimalText: string): string {
  const negative = decimalText.startsWith('-');
  const unsigned = negative ? decimalText.slice(1) : decimalText;
  const [integerPart = '', fractionPart] = unsigned.split('.');
  const grouped = integerPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fractionPart === undefined ? '' : `.${fractionPart}`}`;
}

/** Money for a reader: the currency's ISO 4217 decimals, grouped, a leading minus when negative ("-1,234.50", JPY "1,235"). */
export function formatDisplayMoney(amount: string, currency: string): string {
  return groupThousands(formatMoney(parseMoney(amount), currency));
}

/** An integer quantity grouped by thousands with its unit: "1,250,000 impressions", "1 conversion", "3" for a period. */
export function formatQuantity(quantity: number, unit: DocumentLine['unit']): string {
  const count = groupThousands(String(quantity));
  if (unit === 'period') return count;
  const singular = Math.abs(quantity) === 1;
  const unitWords: Record<Exclude<DocumentLine['unit'], 'period'>, [string, string]> = {
    impressions: ['impression', 'impressions'],
    completed_views: ['completed view', 'completed views'],
    clicks: ['click', 'clicks'],
    conversions: ['conversion', 'conversions'],
    days: ['day', 'days'],
  };
  const [one, many] = unitWords[unit];
  return `${count} ${singular ? one : many}`;
}

/**
 * A fee line's rate is a percent of media or, for a flat fee, an amount per period; rating records
 * which in the line's explain (`percent` for a share of media, see rating/fees.ts).
 */
function isPercentFee(line: Pick<DocumentLine, 'kind' | 'explain'>): boolean {
  return line.kind === 'fee' && typeof line.explain.percent === 'string';
}

/**
 * A line's rate and what it is per ("2.50 per mille", "25.00 per conversion", "15% of media"), or
 * null when no single rate applies. A rate keeps every decimal it has, padded to the currency's minor
 * unit, since rounding a rate for display would misstate how the amount was computed.
 */
export function formatRate(line: Pick<DocumentLine, 'kind' | 'unit' | 'rate' | 'explain'>, currency: string): string | null {
  if (line.rate === null) return null;
  const rate = new Decimal(line.rate);
  if (isPercentFee(line)) return `${groupThousands(rate.toFixed())}% of media`;
  const decimals = Math.max(rate.decimalPlaces(), currencyMinorUnits(currency) ?? 0);
  const text = groupThousands(rate.toFixed(decimals));
  const perUnit: Record<DocumentLine['unit'], string> = {
    impressions: 'per mille',
    completed_views: 'per completed view',
    clicks: 'per click',
    conversions: 'per conversion',
    days: 'per day',
    period: 'per period',
  };
  return `${text} ${perUnit[line.unit]}`;
}

/**
 * The quantity and rate of a line in words, "1,250,000 impressions at 2.50 per mille", or null when
 * they say nothing the amount does not (one period, no rate).
 */
export function describeQuantityAndRate(
  line: Pick<DocumentLine, 'kind' | 'unit' | 'rate' | 'quantity' | 'explain'>,
  currency: string,
): string | null {
  const rate = formatRate(line, currency);
  // A charge per period is counted in periods only to fit the line shape; "1 period" is noise.
  if (line.unit === 'period' && line.quantity === 1) return rate;
  const quantity = formatQuantity(line.quantity, line.unit);
  return rate === null ? quantity : `${quantity} at ${rate}`;
}

/** What an adjustment line corrects, "corrects INV-2026-000001 (2026-09)", or null for an ordinary line. */
export function correctsText(line: Pick<DocumentLine, 'corrects'>): string | null {
  if (line.corrects === null) return null;
  return `corrects ${line.corrects.number} (${line.corrects.periodLabel})`;
}

/** Payment terms as invoices print them: "Net 30", or "Due on receipt" for zero days. */
export function paymentTermsText(paymentTermsDays: number): string {
  return paymentTermsDays === 0 ? 'Due on receipt' : `Net ${paymentTermsDays}`;
}
