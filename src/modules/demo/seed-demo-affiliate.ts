/**
 * The demo book's affiliate offer (SPEC §9), seeded through the same use cases the API calls: an
 * advertiser's CPA offer with partner payouts, three partners paid by the three levels of the
 * payout hierarchy (the default, the gold tier, an agreement of their own), their clicks, the
 * purchases credited to them (one partner each, the others' touches kept with the reason), a
 * postback source through which the last days' purchases arrived, and the offer's scrub rules:
 * purchases seconds after their click rejected, unusually large orders held for review.
 */
import type { UseCaseContext } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { createContract } from '../contracts/index.ts';
import { ingestClicks, ingestConversions } from '../delivery/index.ts';
import { createParty, updateParty } from '../parties/index.ts';
import { createPostbackSource, postbackActor, receivePostback } from '../postbacks/index.ts';
import { createScrubRule } from '../scrub/index.ts';
import { createScrubRuleSchema } from '../../wire/scrub.ts';
import { affiliateOfferTerms, type DemoDates, offerAgreementTerms, offerLineItem, offerScrubRules } from './demo-book.ts';
import { planAffiliateTraffic } from './demo-affiliate-delivery.ts';
import { inBatches } from './demo-delivery.ts';

/** How the demo's seed acts as its people: `as('olivia')` is Olivia's context; `approve` runs maker-checker. */
export interface DemoPeople {
  as: (key: string) => UseCaseContext;
  approve: (contractId: string, version: number, maker: string, checkers: string[]) => Promise<void>;
}

/** How many parties and contracts the affiliate part adds to the book. */
export interface AffiliateSeedResult {
  parties: number;
  contracts: number;
}

/** Seeds the offer, its partners and its traffic in the caller's transaction. */
export async function seedAffiliateOffer(people: DemoPeople, d: DemoDates): Promise<AffiliateSeedResult> {
  const { as, approve } = people;
  const party = (kind: 'advertiser' | 'partner', name: string, billingEmail: string, externalRef: string) =>
    createParty(as('olivia'), { kind, name, currency: 'USD', paymentTermsDays: 30, billingEmail, externalRef });
  const vireo = await party('advertiser', 'Vireo Home Goods', 'ap@vireo.example', 'ADV-2005');
  const standard = await party('partner', 'SaverSpot Coupons', 'payouts@saverspot.example', 'AFF-3003');
  const gold = await party('partner', 'Cashback Kingdom', 'finance@cashbackkingdom.example', 'AFF-3004');
  const agreement = await party('partner', 'Gearhead Reviews', 'accounts@gearhead.example', 'AFF-3005');
  await updateParty(as('oscar'), gold.id, { tier: 'gold' });

  const offer = await createContract(as('oscar'), {
    partyId: vireo.id,
    side: 'sell',
    name: 'Vireo home goods CPA offer',
    terms: affiliateOfferTerms(d),
  });
  await approve(offer.id, 1, 'oscar', ['fiona']);
  const signed = await createContract(as('olivia'), {
    partyId: agreement.id,
    side: 'buy',
    name: 'Gearhead Reviews on the Vireo offer',
    terms: offerAgreementTerms(d, offer.id),
  });
  await approve(signed.id, 1, 'olivia', ['felix']);

  const source = await createPostbackSource(as('olivia'), { name: 'Vireo web store', contractId: offer.id, lineItem: offerLineItem });

  // The rules come before the traffic: intake applies them to every conversion it receives.
  for (const rule of offerScrubRules(offer.id)) await createScrubRule(as('oscar'), createScrubRuleSchema.parse(rule));

  const traffic = planAffiliateTraffic(d, offer.id, { standard: standard.id, gold: gold.id, agreement: agreement.id });
  await inBatches(traffic.clicks, (batch) => ingestClicks(as('olivia'), batch, newId('bat')));
  await inBatches(traffic.conversions, (batch) => ingestConversions(as('olivia'), batch, newId('bat')));
  // Each postback as the endpoint takes it once its signature checked out: one conversion, acting as the source.
  const fromSource = { ...as('olivia'), actor: postbackActor(source.id) };
  const sourceRow = { id: source.id, contract_id: source.contractId, line_item: source.lineItem };
  for (const postback of traffic.postbacks) await receivePostback(fromSource, sourceRow, postback);

  return { parties: 4, contracts: 2 };
}
