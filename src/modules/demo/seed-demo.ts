/** Seeds the demo book through the same use cases the API calls, so its audit history is real. */
import { addDays, addMonths } from '../../platform/dates.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import type { Executor } from '../../platform/database.ts';
import { createApiKey } from '../auth/index.ts';
import { createUser } from '../auth/index.ts';
import { findUserByEmail } from '../auth/index.ts';
import { hashPassword } from '../auth/index.ts';
import { amendContract } from '../contracts/index.ts';
import { createMakegood } from '../contracts/index.ts';
import { measureLineGoal } from '../goals/index.ts';
import { approveVersion } from '../contracts/index.ts';
import { createContract } from '../contracts/index.ts';
import { editVersion } from '../contracts/index.ts';
import { rejectVersion } from '../contracts/index.ts';
import { submitVersion } from '../contracts/index.ts';
import { terminateContract } from '../contracts/index.ts';
import { createParty } from '../parties/index.ts';
import { createBillingEntity } from '../entities/index.ts';
import { createTaxRate } from '../taxes/index.ts';
import { createFxRate } from '../fx/index.ts';
import { grantCredit } from '../billing/credits/index.ts';
import { approveRateCardVersion, createProduct, createRateCard, submitRateCardVersion } from '../rate-cards/index.ts';
import {
  affiliatePayoutTerms,
  cardPricedTerms,
  cpaTerms,
  ctvTerms,
  demoDates,
  demoProducts,
  demoRateCard,
  hybridTerms,
  publisherPayoutTerms,
  simpleCpmTerms,
} from './demo-book.ts';
import { seedDemoDelivery } from './demo-delivery.ts';
import { seedAffiliateOffer } from './seed-demo-affiliate.ts';
import type { Actor } from '../../platform/actor.ts';
import type { Role } from '../../wire/roles.ts';
import type { CreatePartyInput } from '../../wire/parties.ts';

/** Every demo user signs in to the web app with this password. */
export const demoPassword = 'tally-demo-password';

export interface DemoCredential {
  email: string;
  name: string;
  role: Role;
  token: string;
}

export interface DemoSeedResult {
  credentials: DemoCredential[];
  parties: number;
  contracts: number;
  /** Who starts the demo's billing run, and who (another person) finalizes its documents. */
  billingActors: { starter: Actor; finalizer: Actor };
}

const demoUsers: { key: string; email: string; name: string; role: Role }[] = [
  { key: 'admin', email: 'admin@demo.tally.dev', name: 'Ada Admin', role: 'admin' },
  { key: 'fiona', email: 'fiona@demo.tally.dev', name: 'Fiona Finance', role: 'finance' },
  { key: 'felix', email: 'felix@demo.tally.dev', name: 'Felix Finance', role: 'finance' },
  { key: 'olivia', email: 'olivia@demo.tally.dev', name: 'Olivia Ops', role: 'ops' },
  { key: 'oscar', email: 'oscar@demo.tally.dev', name: 'Oscar Ops', role: 'ops' },
  { key: 'vera', email: 'vera@demo.tally.dev', name: 'Vera Viewer', role: 'viewer' },
];

/** Whether the store holds the demo book, whose users' password is published: its admin is there. */
export async function holdsDemoBook(db: Executor): Promise<boolean> {
  return (await findUserByEmail(db, demoUsers[0]?.email ?? '')) !== undefined;
}

/** Creates the demo users, parties and contracts in the caller's transaction and returns how to sign in. */
export async function seedDemo(context: UseCaseContext): Promise<DemoSeedResult> {
  const d = demoDates(context.today);
  const credentials: DemoCredential[] = [];
  const actors = new Map<string, Actor>();
  const as = (key: string): UseCaseContext => ({ ...context, actor: actors.get(key) ?? context.actor });

  // Every demo user shares one known password, so it is hashed once (scrypt is slow on purpose).
  const passwordHash = await hashPassword(demoPassword);
  for (const spec of demoUsers) {
    const user = await createUser(context, { email: spec.email, name: spec.name, role: spec.role, passwordHash });
    actors.set(spec.key, { userId: user.id, role: user.role, partyId: null });
    const key = await createApiKey(context, user.id, 'demo');
    credentials.push({ email: spec.email, name: spec.name, role: spec.role, token: key.token });
  }

  const party = (input: Omit<CreatePartyInput, 'paymentTermsDays'> & { paymentTermsDays?: number }) =>
    createParty(as('olivia'), { paymentTermsDays: 30, ...input });
  const agency = await party({
    kind: 'agency',
    name: 'Blue Harbor Media',
    currency: 'USD',
    billingEmail: 'ap@blueharbor.example',
    externalRef: 'AG-1001',
  });
  const northwind = await party({
    kind: 'advertiser',
    name: 'Northwind Streaming',
    currency: 'USD',
    billingEmail: 'billing@northwind.example',
    externalRef: 'ADV-2001',
    paymentTermsDays: 45,
  });
  const acme = await party({
    kind: 'advertiser',
    name: 'Acme Outdoor Gear',
    currency: 'USD',
    billingEmail: 'finance@acme.example',
    externalRef: 'ADV-2002',
    agencyId: agency.id,
  });
  const sakura = await party({
    kind: 'advertiser',
    name: 'Sakura Retail KK',
    currency: 'JPY',
    billingEmail: 'keiri@sakura.example',
    externalRef: 'ADV-2003',
  });
  // Sakura is billed in JPY from the USD books: each posting needs a JPY→USD rate (SPEC §10). The
  // demo's rates are illustrative, from a year before its first delivery, and again this month, so
  // that a payment this month realizes an FX difference against an invoice of an earlier month.
  for (const [date, from, rate] of [
    [d.lastYearStart, 'JPY', '0.0067'],
    [d.lastYearStart, 'EUR', '1.08'],
    [d.monthStart, 'JPY', '0.0065'],
    [d.monthStart, 'EUR', '1.10'],
  ] as const) {
    await createFxRate(as('fiona'), { date, from, to: 'USD', rate, source: 'Demo rates (illustrative)' });
  }
  // A second billing entity for European customers, with German VAT (SPEC §10): its invoices are
  // numbered INV-EU-…, print its bank account, and charge 19 % to German businesses.
  const europe = await createBillingEntity(as('fiona'), {
    name: 'Tally Media Europe',
    legalName: 'Tally Media Europe GmbH',
    country: 'DE',
    baseCurrency: 'EUR',
    taxId: 'DE811907980',
    numberPrefix: 'EU',
    address: ['Friedrichstraße 68', '10117 Berlin', 'Germany'],
    email: 'rechnungen@demo-media.example',
    paymentInstructions: 'Bitte überweisen Sie den Betrag unter Angabe der Rechnungsnummer.',
    // A published example IBAN (it passes the check and reaches no one).
    bankDetails: {
      accountName: 'Tally Media Europe GmbH',
      bankName: 'Commerzbank',
      iban: 'DE89370400440532013000',
      bic: 'COBADEFFXXX',
      accountNumber: null,
      routingNumber: null,
      reference: null,
    },
  });
  await createTaxRate(as('fiona'), {
    billingEntityId: europe.id,
    code: 'DE-VAT-19',
    name: 'Umsatzsteuer 19 %',
    percent: '19',
    country: 'DE',
    appliesTo: 'sell',
  });
  const lumen = await party({
    kind: 'advertiser',
    name: 'Lumen Fitness GmbH',
    currency: 'EUR',
    billingEmail: 'rechnung@lumen.example',
    externalRef: 'ADV-2004',
    paymentTermsDays: 14,
    billingEntityId: europe.id,
    country: 'DE',
    taxId: 'DE123456789',
  });
  // Lumen paid 500.00 ahead: its next finalized invoice takes it.
  await grantCredit(as('fiona'), lumen.id, { amount: '500.00', currency: 'EUR', kind: 'prepayment', reference: 'SEPA 2026-0917' });
  const streamcast = await party({
    kind: 'partner',
    name: 'StreamCast Publishers',
    currency: 'USD',
    billingEmail: 'payments@streamcast.example',
    externalRef: 'PUB-3001',
  });
  const couponNest = await party({
    kind: 'partner',
    name: 'CouponNest Affiliates',
    currency: 'USD',
    billingEmail: 'payouts@couponnest.example',
    externalRef: 'AFF-3002',
  });

  const portal = await createUser(context, {
    email: 'portal@northwind.example',
    name: 'Northwind Portal',
    role: 'party',
    partyId: northwind.id,
    passwordHash,
  });
  credentials.push({
    email: portal.email,
    name: portal.name,
    role: 'party',
    token: (await createApiKey(context, portal.id, 'demo')).token,
  });

  // Make, submit and approve with different people, as maker-checker demands.
  const approveAll = async (contractId: string, version: number, maker: string, checkers: string[]) => {
    await submitVersion(as(maker), { contractId: contractId, versionNumber: version });
    for (const checker of checkers)
      await approveVersion(as(checker), { contractId: contractId, versionNumber: version }, 'Checked against the signed IO');
  };

  // Northwind CTV order, active, amended from the start of this month with a higher prime-time rate.
  const ctv = await createContract(as('olivia'), { partyId: northwind.id, side: 'sell', name: 'Northwind Q4 CTV', terms: ctvTerms(d) });
  await approveAll(ctv.id, 1, 'olivia', ['fiona']);
  await amendContract(as('oscar'), ctv.id, {
    effectiveFrom: d.monthStart,
    terms: ctvTerms(d, '30.00'),
    reason: 'Prime-time rate card change agreed by email',
  });
  await approveAll(ctv.id, 2, 'oscar', ['felix']);

  // Acme CPA agreement through its agency: large, so two approvers; a later amendment was rejected.
  const cpa = await createContract(as('olivia'), { partyId: acme.id, side: 'sell', name: 'Acme retail media CPA', terms: cpaTerms(d) });
  await approveAll(cpa.id, 1, 'olivia', ['fiona', 'felix']);
  const raisedCap = { ...cpaTerms(d), budgetCap: '450000.00' };
  await amendContract(as('olivia'), cpa.id, { effectiveFrom: d.midMonth, terms: raisedCap, reason: 'Client asked for more budget' });
  await submitVersion(as('olivia'), { contractId: cpa.id, versionNumber: 2 });
  await rejectVersion(
    as('fiona'),
    { contractId: cpa.id, versionNumber: 2 },
    'Above the credit limit approved for Acme; get a signed IO first',
  );

  // Sakura hybrid in yen, waiting for approval; Lumen's new order still a draft being edited.
  const hybrid = await createContract(as('oscar'), {
    partyId: sakura.id,
    side: 'sell',
    name: 'Sakura shoppable CTV (hybrid)',
    terms: hybridTerms(d),
  });
  await submitVersion(as('oscar'), { contractId: hybrid.id, versionNumber: 1 });
  const draft = await createContract(as('olivia'), {
    partyId: lumen.id,
    side: 'sell',
    name: 'Lumen spring campaign',
    terms: simpleCpmTerms(d.nextMonthStart, d.inSixMonths, 'EUR', '18.00'),
  });
  await editVersion(
    as('oscar'),
    { contractId: draft.id, versionNumber: 1 },
    { terms: simpleCpmTerms(d.nextMonthStart, d.inSixMonths, 'EUR', '19.25') },
  );

  // History: last year's Northwind order (expired), an auto-renewing Acme order that starts next
  // month (scheduled), and a Lumen order terminated at the end of last month.
  const expired = await createContract(as('olivia'), {
    partyId: northwind.id,
    side: 'sell',
    name: 'Northwind launch campaign',
    terms: simpleCpmTerms(d.lastYearStart, d.lastYearEnd, 'USD', '24.00'),
  });
  await approveAll(expired.id, 1, 'olivia', ['fiona']);
  const scheduled = await createContract(as('oscar'), {
    partyId: acme.id,
    side: 'sell',
    name: 'Acme always-on display',
    terms: simpleCpmTerms(d.nextMonthStart, d.inYear, 'USD', '12.00', { mode: 'auto', termMonths: 12, noticeDays: 60 }),
  });
  await approveAll(scheduled.id, 1, 'oscar', ['felix']);
  const ended = await createContract(as('olivia'), {
    partyId: lumen.id,
    side: 'sell',
    name: 'Lumen autumn CTV',
    terms: simpleCpmTerms(d.twoMonthsAgo, d.inSixMonths, 'EUR', '21.00'),
  });
  await approveAll(ended.id, 1, 'olivia', ['fiona']);
  await terminateContract(as('olivia'), ended.id, { effectiveDate: addDays(d.monthStart, -1), reason: 'Advertiser paused all CTV spend' });
  await approveAll(ended.id, 2, 'olivia', ['felix']);

  // Buy side: the publisher paid on the Northwind order, and an affiliate paid on everything.
  const publisher = await createContract(as('oscar'), {
    partyId: streamcast.id,
    side: 'buy',
    name: 'StreamCast supply agreement',
    terms: publisherPayoutTerms(d, ctv.id),
  });
  await approveAll(publisher.id, 1, 'oscar', ['fiona']);
  const affiliate = await createContract(as('olivia'), {
    partyId: couponNest.id,
    side: 'buy',
    name: 'CouponNest affiliate payouts',
    terms: affiliatePayoutTerms(d),
  });
  await approveAll(affiliate.id, 1, 'olivia', ['felix']);

  // Rate management: the catalog and a rate card made by ops and approved by finance, and an order
  // priced from it (a prime-time cpm line and a completed-views cpcv line).
  for (const product of demoProducts) await createProduct(as('olivia'), product);
  const rateCardId = await createRateCard(as('olivia'), demoRateCard(d));
  await submitRateCardVersion(as('olivia'), { documentId: rateCardId, versionNumber: 1 });
  await approveRateCardVersion(as('fiona'), { documentId: rateCardId, versionNumber: 1 }, 'Matches the 2026 sales deck');
  const carded = await createContract(as('oscar'), {
    partyId: northwind.id,
    side: 'sell',
    name: 'Northwind CTV views (rate card)',
    terms: cardPricedTerms(d, rateCardId),
  });
  await approveAll(carded.id, 1, 'oscar', ['fiona']);
  // The prime line runs behind its goal: a makegood from the middle of last month adds zero-priced
  // delivery, which shows on last month's invoice at 0.00 and counts toward the goal.
  const makegoodFrom = addDays(addMonths(d.monthStart, -1), 14);
  const makegood = await createMakegood(
    as('oscar'),
    carded.id,
    {
      lineItem: 'prime-from-card',
      quantity: 500_000,
      startDate: makegoodFrom,
      endDate: d.quarterEnd,
      reason: 'underdelivery',
      note: 'Prime inventory short in the first weeks',
    },
    measureLineGoal,
  );
  await approveAll(carded.id, makegood, 'oscar', ['felix']);

  await seedDemoDelivery(as('olivia'), d, {
    cardPricedContractId: carded.id,
    makegoodFrom,
    ctvContractId: ctv.id,
    cpaContractId: cpa.id,
    publisherId: streamcast.id,
    affiliateId: couponNest.id,
  });
  // Affiliate CPA (SPEC §9): an offer with partner payouts, three partners, clicks and postbacks.
  const offer = await seedAffiliateOffer({ as, approve: approveAll }, d);
  return {
    credentials,
    parties: 7 + offer.parties,
    contracts: 10 + offer.contracts,
    billingActors: { starter: actors.get('fiona') as Actor, finalizer: actors.get('felix') as Actor },
  };
}
