/**
 * The billing entity form's values (what the inputs hold: strings, the address as one text of
 * lines) and the request bodies made of them. The form checks itself with the API's own schemas
 * (src/wire/billing-entities.ts), so a field shows the server's wording before anything is sent.
 */
import { createBillingEntitySchema, updateBillingEntitySchema } from '../../../../src/wire/billing-entities.ts';
import { schemaErrors } from '../../common/form-errors.ts';
import type { PaperSize } from '../../../../src/wire/bank-details.ts';
import type { BillingEntity, CreateBillingEntityInput, UpdateBillingEntityInput } from './entities-api.ts';

/** The bank account fields, as typed; all empty means the entity prints no bank details. */
export const bankFields = ['accountName', 'bankName', 'iban', 'bic', 'accountNumber', 'routingNumber', 'reference'] as const;
export type BankField = (typeof bankFields)[number];

export interface EntityForm {
  name: string;
  legalName: string;
  country: string;
  baseCurrency: string;
  numberPrefix: string;
  taxId: string;
  /** One address line per line of text. */
  address: string;
  email: string;
  paymentInstructions: string;
  /** One remit-to line per line of text. */
  remitTo: string;
  /** '' for the default (A4, or US Letter for USD and CAD). */
  paperSize: PaperSize | '';
  bank: Record<BankField, string>;
}

/** A new entity's empty form, or an entity's current values. */
export function entityFormOf(entity: BillingEntity | undefined): EntityForm {
  return {
    name: entity?.name ?? '',
    legalName: entity?.legalName ?? '',
    country: entity?.country ?? '',
    baseCurrency: entity?.baseCurrency ?? '',
    numberPrefix: entity?.numberPrefix ?? '',
    taxId: entity?.taxId ?? '',
    address: entity?.address.join('\n') ?? '',
    email: entity?.email ?? '',
    paymentInstructions: entity?.paymentInstructions ?? '',
    remitTo: entity?.remitTo.join('\n') ?? '',
    paperSize: entity?.paperSize ?? '',
    bank: Object.fromEntries(bankFields.map((field) => [field, entity?.bankDetails?.[field] ?? ''])) as Record<BankField, string>,
  };
}

/** The bank details typed, or null when none are: the optional ones empty are null, as the API stores them. */
function bankDetailsOf(bank: Record<BankField, string>): NonNullable<CreateBillingEntityInput['bankDetails']> | null {
  if (bankFields.every((field) => bank[field].trim() === '')) return null;
  const orNull = (value: string) => (value.trim() === '' ? null : value.trim());
  return {
    accountName: bank.accountName.trim(),
    bankName: orNull(bank.bankName),
    iban: orNull(bank.iban),
    bic: orNull(bank.bic),
    accountNumber: orNull(bank.accountNumber),
    routingNumber: orNull(bank.routingNumber),
    reference: orNull(bank.reference),
  };
}

/** The address lines typed, trimmed, blank lines left out. */
function addressLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The body of `POST /v1/billing-entities`: the optional details only when written. */
export function createInputOf(form: EntityForm): CreateBillingEntityInput {
  const address = addressLines(form.address);
  const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
  const taxId = optional(form.taxId);
  const email = optional(form.email);
  const paymentInstructions = optional(form.paymentInstructions);
  const bankDetails = bankDetailsOf(form.bank);
  const remitTo = addressLines(form.remitTo);
  return {
    name: form.name.trim(),
    legalName: form.legalName.trim(),
    country: form.country.trim(),
    baseCurrency: form.baseCurrency.trim(),
    numberPrefix: form.numberPrefix.trim(),
    ...(taxId === undefined ? {} : { taxId }),
    ...(address.length === 0 ? {} : { address }),
    ...(email === undefined ? {} : { email }),
    ...(paymentInstructions === undefined ? {} : { paymentInstructions }),
    ...(bankDetails === null ? {} : { bankDetails }),
    ...(remitTo.length === 0 ? {} : { remitTo }),
    ...(form.paperSize === '' ? {} : { paperSize: form.paperSize }),
  };
}

/**
 * The body of `PATCH /v1/billing-entities/:id`: every editable field (an emptied optional detail is
 * null, which clears it), never the number prefix, which the API refuses to change.
 */
export function updateInputOf(form: EntityForm): UpdateBillingEntityInput {
  const orNull = (value: string) => (value.trim() === '' ? null : value.trim());
  return {
    name: form.name.trim(),
    legalName: form.legalName.trim(),
    country: form.country.trim(),
    baseCurrency: form.baseCurrency.trim(),
    taxId: orNull(form.taxId),
    address: addressLines(form.address),
    email: orNull(form.email),
    paymentInstructions: orNull(form.paymentInstructions),
    bankDetails: bankDetailsOf(form.bank),
    remitTo: addressLines(form.remitTo),
    paperSize: form.paperSize === '' ? null : form.paperSize,
  };
}

/** What the API would refuse in the form, keyed by field (an address line's error shows at the address). */
export function entityFormErrors(form: EntityForm, creating: boolean): Record<string, string> {
  return creating
    ? schemaErrors(createBillingEntitySchema, createInputOf(form))
    : schemaErrors(updateBillingEntitySchema, updateInputOf(form));
}

/** The field that shows an error at `path`: `address[2]` shows at the address, `remitTo[1]` at the remit-to lines. */
export function entityFieldOf(path: string): string {
  if (path.startsWith('address[')) return 'address';
  if (path.startsWith('remitTo[')) return 'remitTo';
  return path;
}
