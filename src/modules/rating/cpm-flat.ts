/** Flat CPM pricing (SPEC §3): every billed impression at one price per thousand. A strategy: it computes and stores nothing. */
import type { CpmFlatPricing } from '../../wire/pricing.ts';
import { Decimal } from '../../wire/money.ts';
import type { Explain } from '../../wire/charges.ts';

/** What a CPM strategy computed for a quantity of impressions: the exact amount and how. */
export interface CpmAmount {
  exact: Decimal;
  /** The one rate per mille that priced every impression, when there is one. */
  ratePerMille?: string;
  rule: string;
  explain: Explain;
  /** Tier indexes whose flatAmount this amount includes (tiered only). */
  flatTiersCharged: number[];
}

/** impressions × ratePerMille / 1000, exact. */
export function rateCpmFlat(pricing: CpmFlatPricing, impressions: number): CpmAmount {
  const exact = new Decimal(impressions).times(pricing.ratePerMille).div(1000);
  return {
    exact,
    ratePerMille: pricing.ratePerMille,
    rule: 'cpm.flat',
    explain: { formula: 'impressions × ratePerMille / 1000', impressions, ratePerMille: pricing.ratePerMille },
    flatTiersCharged: [],
  };
}
