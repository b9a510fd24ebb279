/** Who issues the documents: the platform's own details, printed on every document. */
/** The issuer's details, kept in settings (`issuer`). */
export interface IssuerDetails {
  name: string;
  /** Free-form address lines, printed as given. */
  addressLines: string[];
  email: string | null;
  taxId: string | null;
  /** How to pay: bank details or a payment link, printed under the totals. */
  paymentInstructions: string | null;
}

export const defaultIssuer: IssuerDetails = {
  name: 'Tally Demo Media, Inc.',
  addressLines: ['100 Example Street', 'New York, NY 10001', 'United States'],
  email: 'billing@example.com',
  taxId: null,
  paymentInstructions: 'Pay by bank transfer quoting the invoice number.',
};
