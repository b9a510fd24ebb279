/**
 * `GET /v1/reports/below-card` for the sales desk: lines of active sell contracts priced from a rate
 * card whose frozen rate is below what the same product, model, premiums and discount cost on the
 * card version in force today. Lines whose card no longer prices them (the product or a premium left
 * the card) are not listed: there is no price today to compare with.
 */
import type { Executor } from '../../platform/database.ts';
import { Decimal } from '../../wire/money.ts';
import { type BelowCardLine, type CardModel, type CardPricingReference, rateFieldOfModel } from '../../wire/rate-cards.ts';
import type { Terms } from '../../wire/terms.ts';
import { findRateCardVersionInForce, formatRate, mediaPricingsOf, priceFromCard } from '../rate-cards/index.ts';
import { type ApprovedVersion, listApprovedContracts } from './approved-versions.repository.ts';

/** The approved version in force on `today`, when `today` is within its contract dates. */
function versionInForce(versions: ApprovedVersion[], today: string): ApprovedVersion | undefined {
  const version = versions.filter((candidate) => candidate.effectiveFrom <= today).at(-1);
  if (!version || version.terms.startDate > today || version.terms.endDate < today) return undefined;
  return version;
}

/** Every card-priced line of an active sell contract sold below today's card price, in contract number order. */
export async function reportBelowCard(db: Executor, today: string): Promise<BelowCardLine[]> {
  const lines: BelowCardLine[] = [];
  const cardVersions = new Map<string, Awaited<ReturnType<typeof findRateCardVersionInForce>>>();
  for (const contract of await listApprovedContracts(db, 'sell')) {
    const version = versionInForce(contract.versions, today);
    if (!version) continue;
    for (const lineItem of (version.terms as Terms).lineItems) {
      for (const pricing of mediaPricingsOf(lineItem.pricing as unknown as Record<string, unknown>)) {
        const reference = pricing.rateCard as CardPricingReference | undefined;
        if (!reference || reference.version === undefined) continue;
        if (!cardVersions.has(reference.id)) cardVersions.set(reference.id, await findRateCardVersionInForce(db, reference.id, today));
        const card = cardVersions.get(reference.id);
        if (!card) continue;
        const model = pricing.model as CardModel;
        let cardRate: Decimal;
        try {
          const price = priceFromCard(
            { rateCardId: reference.id, number: card.number, entries: card.entries, premiums: card.premiums },
            model,
            reference,
            '',
            {
              enforceFloor: false,
            },
          );
          cardRate = new Decimal(price.netRate);
        } catch {
          continue;
        }
        const soldRate = new Decimal(String(pricing[rateFieldOfModel[model]]));
        if (!soldRate.lt(cardRate)) continue;
        lines.push({
          contractId: contract.id,
          contractNumber: contract.number,
          partyId: contract.partyId,
          version: version.number,
          lineItem: lineItem.key,
          rateCardId: reference.id,
          product: reference.product,
          model,
          soldRate: formatRate(soldRate),
          soldCardVersion: reference.version,
          cardVersion: card.number,
          cardRate: formatRate(cardRate),
          difference: formatRate(cardRate.minus(soldRate)),
        });
      }
    }
  }
  return lines.sort((a, b) => a.contractNumber.localeCompare(b.contractNumber) || a.lineItem.localeCompare(b.lineItem));
}
