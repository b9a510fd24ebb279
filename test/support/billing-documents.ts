import { Decimal, formatMoney, sumMoney } from '../../src/wire/money.ts';
import type { BillingDocument, DocumentLine } from '../../src/wire/billing.ts';

/** A media line of 1,000 impressions at 2.00 per mille unless told otherwise. */
export function buildLine(overrides: Partial<DocumentLine> = {}): DocumentLine {
  return {
    position: 1,
    contractId: 'ctr_01',
    contractNumber: 'C-2026-0001',
    lineItem: 'display',
    kind: 'media',
    description: 'Display: 1000 impressions at 2.00 per mille',
    quantity: 1_000,
    unit: 'impressions',
    rate: '2.00',
    amount: '2.00',
    from: '2026-10-01',
    to: '2026-10-31',
    flags: [],
    explain: {},
    corrects: null,
    ...overrides,
  };
}

/** A finalized USD invoice with `lines` (positions renumbered), its money summed from them. */
export function buildDocument(lines: DocumentLine[], overrides: Partial<BillingDocument> = {}): BillingDocument {
  const currency = overrides.currency ?? 'USD';
  const subtotal = sumMoney(lines.map((line) => new Decimal(line.amount)));
  const amountPaid = new Decimal(overrides.amountPaid ?? '0');
  const amountCredited = new Decimal(overrides.amountCredited ?? '0');
  const taxTotal = sumMoney((overrides.taxes ?? []).map((tax) => new Decimal(tax.amount)));
  const total = subtotal.plus(taxTotal);
  return {
    id: 'doc_01',
    kind: 'invoice',
    number: 'INV-2026-000123',
    runId: 'run_01',
    partyId: overrides.party?.id ?? 'pty_01',
    party: { id: 'pty_01', name: 'Acme Media', kind: 'advertiser', billingEmail: 'ap@acme.example', externalRef: 'PO-7781' },
    period: { label: '2026-10', from: '2026-10-01', to: '2026-10-31' },
    currency,
    status: 'finalized',
    issueDate: '2026-11-01',
    dueDate: '2026-12-01',
    paymentTermsDays: 30,
    flags: [],
    createdAt: '2026-11-01T08:00:00.000Z',
    finalizedAt: '2026-11-01T09:30:00.000Z',
    finalizedBy: 'usr_finance',
    taxes: [],
    taxNote: null,
    creditsApplied: formatMoney(new Decimal(0), currency),
    overdue: false,
    daysPastDue: null,
    ...overrides,
    lines: lines.map((line, index) => ({ ...line, position: index + 1 })),
    subtotal: formatMoney(subtotal, currency),
    taxTotal: formatMoney(taxTotal, currency),
    total: formatMoney(total, currency),
    amountPaid: formatMoney(amountPaid, currency),
    amountCredited: formatMoney(amountCredited, currency),
    amountDue: formatMoney(total.minus(amountPaid).minus(amountCredited), currency),
  };
}

/** USD: impressions, conversions, a percent fee and a negative adjustment correcting an earlier invoice. */
export function usdInvoice(overrides: Partial<BillingDocument> = {}): BillingDocument {
  return buildDocument(
    [
      buildLine({ description: 'Display: 1250000 impressions at 2.50 per mille', quantity: 1_250_000, rate: '2.50', amount: '3125.00' }),
      buildLine({
        lineItem: 'signup',
        description: 'Signups: 120 signup conversions',
        quantity: 120,
        unit: 'conversions',
        rate: '25.00',
        amount: '3000.00',
      }),
      buildLine({
        lineItem: null,
        kind: 'fee',
        description: 'agency: 15% of media 6125.00',
        quantity: 1,
        unit: 'period',
        rate: '15',
        amount: '918.75',
        explain: { fee: 'agency', percent: '15', mediaAmount: '6125.00' },
      }),
      buildLine({
        kind: 'adjustment',
        description: 'Display: late delivery restated, -40000 impressions',
        quantity: -40_000,
        rate: '2.50',
        amount: '-100.00',
        from: '2026-09-01',
        to: '2026-09-30',
        corrects: { documentId: 'doc_00', number: 'INV-2026-000101', periodLabel: '2026-09' },
      }),
    ],
    { amountPaid: '1000.00', amountCredited: '43.75', ...overrides },
  );
}

/** JPY (no minor unit): impressions whose exact amount has a fraction of a yen, and a minimum-spend true-up. */
export function jpyInvoice(): BillingDocument {
  return buildDocument(
    [
      buildLine({ description: 'Video: 3456789 impressions at 350 per mille', quantity: 3_456_789, rate: '350', amount: '1209876' }),
      buildLine({
        lineItem: null,
        kind: 'minimum_spend',
        description: 'Minimum spend true-up',
        quantity: 1,
        unit: 'period',
        rate: null,
        amount: '50000',
      }),
    ],
    {
      id: 'doc_jpy',
      number: 'INV-2026-000124',
      currency: 'JPY',
      party: { id: 'pty_02', name: '東京 Ads KK', kind: 'advertiser', billingEmail: null, externalRef: null },
    },
  );
}

/** KWD (three decimals): impressions, conversions at a three-decimal rate, and a negative commission. */
export function kwdInvoice(): BillingDocument {
  return buildDocument(
    [
      buildLine({ description: 'Display: 1000000 impressions at 1.234 per mille', quantity: 1_000_000, rate: '1.234', amount: '1234.000' }),
      buildLine({
        lineItem: 'install',
        description: 'Installs: 7 install conversions',
        quantity: 7,
        unit: 'conversions',
        rate: '12.345',
        amount: '86.415',
      }),
      buildLine({
        lineItem: null,
        kind: 'fee',
        description: 'commission: -5% of media 1320.415',
        quantity: 1,
        unit: 'period',
        rate: '-5',
        amount: '-66.021',
        explain: { fee: 'commission', percent: '-5', mediaAmount: '1320.415' },
      }),
    ],
    {
      id: 'doc_kwd',
      number: 'INV-2026-000125',
      currency: 'KWD',
      party: { id: 'pty_03', name: 'Gulf Reach WLL', kind: 'advertiser', billingEmail: 'finance@gulf.example', externalRef: 'GR-1' },
    },
  );
}

/** A 200-line USD invoice: line n bills n × 1,000 impressions at 1.01 per mille. */
export function longInvoice(): BillingDocument {
  const lines = Array.from({ length: 200 }, (_, index) => {
    const impressions = (index + 1) * 1_000;
    const amount = formatMoney(new Decimal(impressions).times('1.01').div(1000), 'USD');
    return buildLine({
      lineItem: `placement-${index + 1}`,
      description: `Placement ${index + 1}: ${impressions} impressions`,
      quantity: impressions,
      rate: '1.01',
      amount,
    });
  });
  return buildDocument(lines, { id: 'doc_long', number: 'INV-2026-000200' });
}
