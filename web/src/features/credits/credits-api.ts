/**
 * A party's credits (SPEC §10): prepayments, promotional and makegood credits, and what the party
 * owes on its invoices, per currency. Anyone who may read the party reads its balance (a party user:
 * its own); admins and finance record credits (`billing.write`), with an Idempotency-Key since a
 * prepayment is money received.
 */
import { api } from '../../app/api.ts';
import type { CreditKind, GrantCreditInput, PartyCredit } from '../../../../src/wire/credits.ts';

export type { CreditKind, GrantCreditInput, PartyCredit };

/** `GET /v1/parties/:id/balance` (src/wire/credits.ts's partyBalanceSchema, as a type without zod). */
export interface PartyBalance {
  partyId: string;
  credits: PartyCredit[];
  /** What the party owes on its invoices now, per currency. */
  receivable: { currency: string; amount: string }[];
}

/** A credit's kind in words. */
export const creditKindWords: Record<CreditKind, string> = {
  prepayment: 'Prepayment',
  promo: 'Promotional credit',
  makegood: 'Makegood credit',
};

export const creditsApi = api.injectEndpoints({
  endpoints: (build) => ({
    getPartyBalance: build.query<PartyBalance, string>({
      query: (partyId) => `/parties/${encodeURIComponent(partyId)}/balance`,
      providesTags: (_balance, _error, partyId) => [{ type: 'PartyBalance', id: partyId }],
    }),
    grantCredit: build.mutation<PartyCredit, { partyId: string; body: GrantCreditInput; idempotencyKey: string }>({
      query: ({ partyId, body, idempotencyKey }) => ({
        url: `/parties/${encodeURIComponent(partyId)}/credits`,
        method: 'POST',
        body,
        headers: { 'idempotency-key': idempotencyKey },
      }),
      // A prepayment posts cash and the party's credit account: the ledger's views change too.
      invalidatesTags: (_credit, _error, { partyId }) => [{ type: 'PartyBalance', id: partyId }, 'Ledger', 'Audit'],
    }),
  }),
});

export const { useGetPartyBalanceQuery, useGrantCreditMutation } = creditsApi;
