/** Shared helpers for the rating engine's unit tests: validated terms, delivery builders, one-call rating. */
import { expect } from 'vitest';
import type { LineItem, SellTerms } from '../../src/wire/terms.ts';
import { validateTerms } from '../../src/wire/terms.ts';
import { rateContract } from '../../src/modules/rating/rate-contract.ts';
import type { ImpressionCount, RatedVersion, RatingInput, RatingResult } from '../../src/modules/rating/types.ts';
import { calendarMonth, listDates } from '../../src/platform/periods.ts';
import type { ChargeLine } from '../../src/wire/charges.ts';

export const october = calendarMonth('2026-10');

/** Sell terms from 2026-10-01 to 2026-12-31 in USD, validated by the real schema so a test cannot rate impossible terms. */
export function sellTerms(overrides: Partial<SellTerms> & { lineItems: LineItem[] }): SellTerms {
  const terms = { startDate: '2026-10-01', endDate: '2026-12-31', currency: 'USD', billingPeriod: 'calendar_month' as const, ...overrides };
  const parsed = validateTerms('sell', terms);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

export function cpmLine(key: string, ratePerMille: string, extra: Partial<LineItem> = {}): LineItem {
  return { key, name: key, pricing: { model: 'cpm', ratePerMille }, ...extra } as LineItem;
}

export function rate(versions: SellTerms | RatedVersion[], delivery: Partial<RatingInput> = {}): RatingResult {
  const list = Array.isArray(versions) ? versions : [{ number: 1, effectiveFrom: versions.startDate, terms: versions }];
  return rateContract({
    contractId: 'ctr_test',
    side: 'sell',
    currency: list[0]!.terms.currency,
    versions: list,
    period: october,
    impressions: [],
    conversions: [],
    prior: { impressionsByLine: {}, amountByLine: {}, contractAmount: '0', mediaAmount: '0' },
    ...delivery,
  });
}

export function impressions(
  lineItem: string,
  date: string,
  count: number,
  source: ImpressionCount['source'] = 'first_party',
): ImpressionCount {
  return { lineItem, date, source, impressions: count };
}

/** The same count on every day from `from` to `to`. */
export function daily(
  lineItem: string,
  from: string,
  to: string,
  count: number,
  source: ImpressionCount['source'] = 'first_party',
): ImpressionCount[] {
  return listDates(from, to).map((date) => impressions(lineItem, date, count, source));
}

export function only(result: RatingResult, kind: ChargeLine['kind'] = 'media'): ChargeLine {
  const lines = result.lines.filter((line) => line.kind === kind);
  expect(lines).toHaveLength(1);
  return lines[0]!;
}
