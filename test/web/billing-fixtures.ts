/** An issued invoice of 1,000.00 that a 300.00 prepayment paid in part, for the billing screens' tests. */
import type { BillingDocument } from '../../web/src/features/billing/billing-api.ts';

export function invoice(overrides: Partial<BillingDocument> = {}): BillingDocument {
  return {
    id: 'inv_1',
    kind: 'invoice',
    number: 'INV-2026-000007',
    runId: 'run_1',
    partyId: 'pty_acme',
    party: { id: 'pty_acme', name: 'Acme Outdoor', kind: 'advertiser', billingEmail: null, externalRef: null, taxId: null },
    period: { label: '2026-11', from: '2026-11-01', to: '2026-11-30' },
    currency: 'USD',
    status: 'partially_paid',
    issueDate: '2026-11-25',
    dueDate: '2026-12-25',
    paymentTermsDays: 30,
    lines: [
      {
        position: 1,
        contractId: 'ctr_1',
        contractNumber: 'IO-2026-0042',
        lineItem: 'display',
        kind: 'media',
        description: 'Display: 100,000 impressions at 10.00 CPM',
        quantity: 100_000,
        unit: 'impressions',
        rate: '10.00',
        amount: '1000.00',
        from: '2026-11-01',
        to: '2026-11-30',
        flags: [],
        explain: { rule: 'cpm.flat' },
        corrects: null,
      },
    ],
    subtotal: '1000.00',
    taxes: [],
    taxTotal: '0.00',
    taxNote: null,
    total: '1000.00',
    amountPaid: '0.00',
    amountCredited: '0.00',
    creditsApplied: '300.00',
    amountDue: '700.00',
    flags: [],
    createdAt: '2026-11-25T12:00:00.000Z',
    finalizedAt: '2026-11-25T12:00:00.000Z',
    finalizedBy: 'usr_me',
    ...overrides,
    // Asserted, not checked field by field: the document's shape grows with SPEC §10.
  } as BillingDocument;
}
