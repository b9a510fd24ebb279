/**
 * What an invoice tells a customer's finance team about paying it: the account to pay into, where to
 * mail a payment, and the paper it is printed on. The issuer's details (billing/documents/issuer.ts)
 * carry them; shared here so that every API that edits an issuer block checks them the same way.
 *
 * A real remittance block needs, for a SEPA credit transfer, the beneficiary's name and IBAN (and
 * the BIC, which banks outside the EEA still ask for); for a US ACH payment or domestic wire, the
 * account holder's name, the bank, the ABA routing number and the account number. Both quote a
 * reference so that the payment can be matched to the invoice.
 */
import { z } from 'zod';

/** Where a customer sends money. Every field is a string; what is not known is null. */
export interface BankDetails {
  /** The account holder (beneficiary) as the bank knows it. */
  accountName: string;
  bankName?: string | null;
  /** International Bank Account Number, kept without spaces; printed in groups of four. */
  iban?: string | null;
  /** The bank's SWIFT/BIC code, 8 or 11 characters. */
  bic?: string | null;
  /** A domestic account number, where payments do not use an IBAN (the US, Canada, …). */
  accountNumber?: string | null;
  /** The US ABA routing number (ACH and domestic wires), nine digits. */
  routingNumber?: string | null;
  /** What the payer quotes as the payment's reference; `{number}` becomes the document's number. Default: the number. */
  reference?: string | null;
}

export const paperSizes = ['A4', 'LETTER'] as const;
/** ISO A4 (210 × 297 mm) or US Letter (8.5 × 11 in). */
export type PaperSize = (typeof paperSizes)[number];

/**
 * Longest name or reference: what a SEPA credit transfer carries (its unstructured remittance
 * information is 140 characters), and more than any bank prints of a beneficiary's name.
 */
const BANK_TEXT_LENGTH_MAX = 140;

/** An IBAN is at most 34 characters; written in groups of four it has up to 8 spaces more. */
const IBAN_WRITTEN_LENGTH_MAX = 42;

/** Drops spaces and upper-cases: "de89 3704 0044 0532 0130 00" is stored as "DE89370400440532013000". */
function compact(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/** ISO 13616's check: the IBAN with its first four characters moved to the end, letters as 10–35, is 1 modulo 97. */
export function isValidIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`;
  let remainder = 0;
  for (const character of rearranged) {
    const value = Number.parseInt(character, 36);
    // Two-digit values (letters) shift the remainder by 100, one-digit ones by 10.
    remainder = (remainder * (value > 9 ? 100 : 10) + value) % 97;
  }
  return remainder === 1;
}

/** The ABA check: 3, 7 and 1 times the digits in turn, summed, are a multiple of 10. */
export function isValidRoutingNumber(routingNumber: string): boolean {
  if (!/^\d{9}$/.test(routingNumber)) return false;
  const weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
  const sum = weights.reduce((total, weight, index) => total + weight * Number(routingNumber[index]), 0);
  return sum % 10 === 0;
}

const bankText = z.string().trim().min(1).max(BANK_TEXT_LENGTH_MAX);

// Each optional field may be absent or null, and is null once parsed, so a stored issuer names them all.
export const bankDetailsSchema = z
  .strictObject({
    accountName: bankText,
    bankName: bankText.nullable().default(null),
    iban: z
      .string()
      .max(IBAN_WRITTEN_LENGTH_MAX)
      .overwrite(compact)
      .refine(isValidIban, { message: 'must be an IBAN: country code, check digits and account, with a valid checksum' })
      .nullable()
      .default(null),
    bic: z
      .string()
      .max(16)
      .overwrite(compact)
      .regex(/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'must be a SWIFT/BIC code of 8 or 11 letters and digits')
      .nullable()
      .default(null),
    accountNumber: z
      .string()
      .trim()
      .min(1)
      .max(34)
      .regex(/^[A-Za-z0-9][A-Za-z0-9 ./-]*$/, 'must be letters, digits, spaces, ".", "/" or "-"')
      .nullable()
      .default(null),
    routingNumber: z
      .string()
      .max(16)
      .overwrite(compact)
      .refine(isValidRoutingNumber, { message: 'must be a nine-digit ABA routing number with a valid check digit' })
      .nullable()
      .default(null),
    reference: bankText.nullable().default(null),
  })
  .refine((details) => details.iban !== null || details.accountNumber !== null, {
    message: 'needs an iban or an accountNumber: the account to pay into',
    path: ['iban'],
  });

/** Address lines for payments by post (a lockbox, or a cheque to an office), printed as given. */
export const remitToLinesSchema = z.array(z.string().trim().min(1).max(200)).max(8);

export const paperSizeSchema = z.enum(paperSizes);
