/**
 * Validation as you type, with the server's own schema: the app imports `sellTermsSchema` and
 * `buyTermsSchema` from src/modules/contracts (pure modules, no I/O), so what the editor accepts is
 * exactly what the API accepts, and errors land on the same paths the API would name.
 */
import { schemaErrors } from '../../../common/form-errors.ts';
import { cardModels, rateFieldOfModel } from '../../../../../src/wire/rate-cards.ts';
import { buyTermsSchema, sellTermsSchema } from '../../../../../src/wire/terms.ts';
import type { Side, TermsForm } from './terms-form.ts';

/**
 * The terms with a stand-in rate on each line priced from a rate card that has none: the server
 * resolves that rate from the card when it writes the version (SPEC §8), so the editor sends none,
 * and the schema checks everything else about the line, and the terms around it, as it will then.
 */
function withCardRates(terms: unknown): unknown {
  const lineItems = (terms as { lineItems?: unknown } | null)?.lineItems;
  if (!Array.isArray(lineItems)) return terms;
  return {
    ...(terms as object),
    lineItems: lineItems.map((lineItem: { pricing?: Record<string, unknown> }) => {
      const pricing = lineItem?.pricing;
      const model = cardModels.find((candidate) => candidate === pricing?.model);
      if (!pricing || !model || pricing.rateCard === undefined || rateFieldOfModel[model] in pricing) return lineItem;
      return { ...lineItem, pricing: { ...pricing, [rateFieldOfModel[model]]: '0' } };
    }),
  };
}

/** Every problem with the terms, keyed by path (`lineItems[0].pricing.ratePerMille`); the first per path. */
export function validateTerms(side: Side, terms: unknown): Record<string, string> {
  return schemaErrors(side === 'sell' ? sellTermsSchema : buyTermsSchema, withCardRates(terms));
}

/**
 * Problems the terms object cannot show because the form is richer than it: two tier payouts of one
 * name would be one key of `partnerPayouts.tiers`, the later one silently winning. Keyed by the
 * path the name field shows its errors at.
 */
export function formProblems(side: Side, form: TermsForm): Record<string, string> {
  const problems: Record<string, string> = {};
  if (side !== 'sell' || !form.partnerPayouts.enabled) return problems;
  const seen = new Set<string>();
  for (const tier of form.partnerPayouts.tiers) {
    const name = tier.name.trim();
    if (seen.has(name)) problems[`partnerPayouts.tiers.${name}`] = `two payouts for tier ${name || '(no name)'}: give each tier one payout`;
    seen.add(name);
  }
  return problems;
}
