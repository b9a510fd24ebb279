/**
 * Granting credits to a party and expiring what is left of them (SPEC §10). A prepayment is money
 * received: cash against the party's credit account (a liability until applied). A promotional or
 * makegood credit is given: a credit allowance (contra revenue) against the same account. Applied
 * credits pay invoices at finalization (apply-credits.ts); a remainder past the last day goes to
 * breakage.
 */
import type { UseCaseContext } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import type { GrantCreditInput, PartyCredit } from '../../../wire/credits.ts';
import { currencyMinorUnits, Decimal, formatMoney } from '../../../wire/money.ts';
import { appendAuditEntries, appendAuditEntry } from '../../audit/index.ts';
import { creditExpiryPostings, creditGrantPostings, postTransactions } from '../../ledger/index.ts';
import { findParty } from '../../parties/index.ts';
import { insertCredit, insertCreditExpiries, lockExpirableCredits } from './credit.repository.ts';

export async function grantCredit(context: UseCaseContext, partyId: string, input: GrantCreditInput): Promise<PartyCredit> {
  const party = await findParty(context.trx, partyId);
  if (!party) throw new AppError('party_not_found', `Party ${partyId} does not exist`);
  if (party.kind === 'partner') {
    throw new AppError('validation_failed', 'Credits are for parties we invoice, not partners', [
      { path: 'partyId', message: 'a partner is paid, not invoiced' },
    ]);
  }
  if (input.currency !== party.currency) {
    throw new AppError(
      'credit_currency_mismatch',
      `${party.name} is invoiced in ${party.currency}; a credit in ${input.currency} would never apply`,
      [{ path: 'currency', message: `must be ${party.currency}, the party's currency` }],
    );
  }
  const amount = new Decimal(input.amount);
  const decimals = currencyMinorUnits(input.currency) ?? 2;
  if (!amount.greaterThan(0) || amount.decimalPlaces() > decimals) {
    throw new AppError('validation_failed', `A credit is a positive amount with at most ${decimals} decimals`, [
      { path: 'amount', message: `must be greater than 0, with at most ${decimals} decimals` },
    ]);
  }
  if (input.expiresAt !== undefined && input.expiresAt < context.today) {
    throw new AppError('validation_failed', `The credit would have expired already (${input.expiresAt})`, [
      { path: 'expiresAt', message: 'must be today or later' },
    ]);
  }
  const credit: PartyCredit = {
    id: newId('cdt'),
    partyId,
    billingEntityId: party.billingEntityId,
    kind: input.kind,
    currency: input.currency,
    amount: formatMoney(amount, input.currency),
    remaining: formatMoney(amount, input.currency),
    expired: formatMoney(new Decimal(0), input.currency),
    expiresAt: input.expiresAt ?? null,
    reference: input.reference ?? null,
    grantedOn: context.today,
    createdAt: context.now.toISOString(),
    createdBy: context.actor.userId,
  };
  await insertCredit(context.trx, credit);
  await postTransactions(context.trx, context.now, [
    {
      id: newId('ltx'),
      date: context.today,
      description: `${input.kind === 'prepayment' ? 'Prepayment received from' : 'Credit given to'} ${party.name}${input.reference ? ` (${input.reference})` : ''}`,
      sourceType: 'credit_grant',
      sourceId: credit.id,
      documentNumber: null,
      billingEntityId: credit.billingEntityId,
      currency: credit.currency,
      postings: creditGrantPostings(partyId, input.kind, amount),
    },
  ]);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'credit.granted',
    entityType: 'party',
    entityId: partyId,
    after: credit,
  });
  return credit;
}

/** Posts the remainder of every credit whose last day is before `asOf` to breakage, once; answers them. */
export async function expireCredits(context: UseCaseContext, asOf: string): Promise<PartyCredit[]> {
  if (asOf > context.today) {
    throw new AppError('validation_failed', 'Credits expire up to today, not ahead of it', [
      { path: 'asOf', message: 'must be today or earlier' },
    ]);
  }
  const expiring = await lockExpirableCredits(context.trx, asOf);
  if (expiring.length === 0) return [];
  await insertCreditExpiries(
    context.trx,
    expiring.map((credit) => ({ creditId: credit.id, amount: new Decimal(credit.remaining).toFixed() })),
    asOf,
    context.now.toISOString(),
    context.actor.userId,
  );
  await postTransactions(
    context.trx,
    context.now,
    expiring.map((credit) => ({
      id: newId('ltx'),
      date: asOf,
      description: `Credit ${credit.id} expired on ${credit.expiresAt}: remainder to breakage`,
      sourceType: 'credit_expiry' as const,
      sourceId: credit.id,
      documentNumber: null,
      billingEntityId: credit.billingEntityId,
      currency: credit.currency,
      postings: creditExpiryPostings(credit.partyId, new Decimal(credit.remaining)),
    })),
  );
  await appendAuditEntries(
    context.trx,
    context.now,
    expiring.map((credit) => ({
      actor: context.actor.userId,
      action: 'credit.expired',
      entityType: 'party',
      entityId: credit.partyId,
      after: { creditId: credit.id, amount: credit.remaining, currency: credit.currency, expiredOn: asOf },
    })),
  );
  return expiring.map((credit) => ({ ...credit, expired: credit.remaining, remaining: formatMoney(new Decimal(0), credit.currency) }));
}
