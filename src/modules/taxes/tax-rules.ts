/**
 * Which taxes a document carries (SPEC §10). Pure: the document's side, its entity's country, its
 * party's tax data, the entity's active rates and the net amount decide it.
 *
 * - A party exempt from tax is charged none.
 * - Reverse charge: an EU entity's document to a party in another EU country that has a tax id
 *   carries no tax and the note `Reverse charge` (the customer accounts for the VAT).
 * - Otherwise each active rate of the entity for the party's country that applies to the side
 *   (`sell` for invoices, `buy` for payout statements, or `both`) gives one line. On the buy side
 *   only a partner with a tax id (registered for VAT) charges tax.
 * - Each line is the net times the percent, rounded half-even to the currency's minor unit once
 *   per document and rate; the base is the net.
 */
import { Decimal, roundToCurrency } from '../../wire/money.ts';
import { EU_COUNTRIES, REVERSE_CHARGE_NOTE, type TaxRate } from '../../wire/taxes.ts';

export interface TaxParty {
  country: string | null;
  taxId: string | null;
  taxExempt: boolean;
}

export interface TaxLine {
  rate: Pick<TaxRate, 'id' | 'code' | 'name' | 'percent'>;
  base: Decimal;
  amount: Decimal;
}

export interface TaxDecision {
  lines: TaxLine[];
  note: string | null;
}

export function taxesFor(input: {
  side: 'sell' | 'buy';
  entityCountry: string;
  party: TaxParty;
  /** The entity's active rates (others are ignored). */
  rates: readonly TaxRate[];
  net: Decimal;
  currency: string;
}): TaxDecision {
  const { side, entityCountry, party, net, currency } = input;
  if (party.taxExempt || party.country === null) return { lines: [], note: null };
  if (EU_COUNTRIES.has(entityCountry) && EU_COUNTRIES.has(party.country) && party.country !== entityCountry && party.taxId !== null) {
    return { lines: [], note: REVERSE_CHARGE_NOTE };
  }
  if (side === 'buy' && party.taxId === null) return { lines: [], note: null };
  const lines = input.rates
    .filter((rate) => rate.active && rate.country === party.country && (rate.appliesTo === side || rate.appliesTo === 'both'))
    .map((rate) => ({
      rate: { id: rate.id, code: rate.code, name: rate.name, percent: rate.percent },
      base: net,
      amount: roundToCurrency(net.times(rate.percent).dividedBy(100), currency),
    }));
  return { lines, note: null };
}

/**
 * The tax a credit note of `amount` (tax included) on an invoice takes back, per rate: each of the
 * invoice's tax lines in proportion to the invoice's total, rounded half-even; the rest is net.
 */
export function creditNoteTaxes(
  amount: Decimal,
  invoiceTotal: Decimal,
  invoiceTaxes: readonly { code: string; percent: string; amount: Decimal }[],
  currency: string,
): { taxes: { code: string; percent: string; amount: Decimal }[]; net: Decimal } {
  if (invoiceTotal.isZero() || invoiceTaxes.length === 0) return { taxes: [], net: amount };
  const taxes = invoiceTaxes
    .map((tax) => ({
      code: tax.code,
      percent: tax.percent,
      amount: roundToCurrency(amount.times(tax.amount).dividedBy(invoiceTotal), currency),
    }))
    .filter((tax) => !tax.amount.isZero());
  const net = taxes.reduce((rest, tax) => rest.minus(tax.amount), new Decimal(amount));
  return { taxes, net };
}
