/**
 * The invoice's "Payment details" block: the account to pay into (SEPA: name, IBAN, BIC; US: bank,
 * routing and account number), the reference to quote, where to mail a payment, and the issuer's
 * instructions. And tax ids as invoices label them. What the issuer has not given is left out; with
 * nothing to say, there is no block.
 */
import type { BankDetails } from '../../../wire/bank-details.ts';
import type { BillingDocument, IssuerDetails } from '../../../wire/billing.ts';
import type { PageGeometry } from './paper.ts';
import { chooseFont, fonts } from './pdf-fonts.ts';

type Pdf = PDFKit.PDFDocument;

const gray = '#555555';
const fontSize = 9;
const labelWidth = 100;
/** The bank details take the left of the block, the remit-to address the right from here. */
const remitToOffset = 300;

/** VAT number prefixes (EU member states, Greece's EL, Northern Ireland's XI, and GB): such an id is a VAT id. */
const vatPrefixes = /^(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI)[0-9A-Z+*]{2,13}$/;

/** "VAT ID: DE123456789" for a European VAT number, "Tax ID: 12-3456789" for any other. */
export function taxIdText(taxId: string): string {
  const compact = taxId.replace(/[\s.-]/g, '').toUpperCase();
  return `${vatPrefixes.test(compact) ? 'VAT ID' : 'Tax ID'}: ${taxId}`;
}

/** An IBAN in groups of four, as banks print it: "DE89 3704 0044 0532 0130 00". */
export function groupIban(iban: string): string {
  return iban.replace(/(.{4})(?=.)/g, '$1 ');
}

/** What the payer quotes: the issuer's reference with `{number}` filled in, else the document's number. */
function referenceOf(bank: BankDetails, document: BillingDocument): string {
  const number = document.number ?? 'the invoice number (given when issued)';
  const reference = bank.reference ?? null;
  return reference === null ? number : reference.replaceAll('{number}', number);
}

/** The bank details as label and value rows, in the order a payment form asks for them. */
function bankRows(bank: BankDetails, document: BillingDocument): Array<[string, string]> {
  const rows: Array<[string, string | null | undefined]> = [
    ['Account name', bank.accountName],
    ['Bank', bank.bankName],
    ['IBAN', bank.iban === null || bank.iban === undefined ? null : groupIban(bank.iban)],
    ['BIC/SWIFT', bank.bic],
    ['Account number', bank.accountNumber],
    ['Routing number (ABA)', bank.routingNumber],
    ['Payment reference', referenceOf(bank, document)],
  ];
  return rows.flatMap(([label, value]) =>
    value === null || value === undefined || value === '' ? [] : [[label, value] as [string, string]],
  );
}

interface Block {
  bank: Array<[string, string]>;
  remitTo: string[];
  instructions: string | null;
}

function blockOf(document: BillingDocument, issuer: IssuerDetails): Block | null {
  const bank = issuer.bankDetails === null || issuer.bankDetails === undefined ? [] : bankRows(issuer.bankDetails, document);
  const remitTo = (issuer.remitToLines ?? []).filter((line) => line.trim() !== '');
  const instructions = issuer.paymentInstructions === null || issuer.paymentInstructions === '' ? null : issuer.paymentInstructions;
  return bank.length === 0 && remitTo.length === 0 && instructions === null ? null : { bank, remitTo, instructions };
}

/** A bank row's height: its label's or its value's, whichever wraps to more lines. */
function bankRowHeight(doc: Pdf, label: string, value: string, valueWidth: number): number {
  const set = chooseFont(value, 'bold');
  const labelHeight = doc.font(fonts.regular).fontSize(fontSize).heightOfString(label, { width: labelWidth });
  return Math.max(labelHeight, doc.font(set.font).fontSize(fontSize).heightOfString(set.text, { width: valueWidth })) + 1;
}

function bankHeight(doc: Pdf, rows: ReadonlyArray<[string, string]>, valueWidth: number): number {
  return rows.reduce((sum, [label, value]) => sum + bankRowHeight(doc, label, value, valueWidth), 0);
}

function linesHeight(doc: Pdf, lines: readonly string[], width: number): number {
  if (lines.length === 0) return 0;
  const heading = doc.font(fonts.bold).fontSize(fontSize).heightOfString('Remit to', { width });
  return lines.reduce((sum, line) => {
    const set = chooseFont(line, 'regular');
    return sum + doc.font(set.font).fontSize(fontSize).heightOfString(set.text, { width });
  }, heading);
}

function drawBank(doc: Pdf, rows: ReadonlyArray<[string, string]>, x: number, y: number, valueWidth: number): void {
  let rowY = y;
  for (const [label, value] of rows) {
    const height = bankRowHeight(doc, label, value, valueWidth);
    doc.font(fonts.regular).fontSize(fontSize).fillColor(gray).text(label, x, rowY, { width: labelWidth });
    const set = chooseFont(value, 'bold');
    doc
      .font(set.font)
      .fillColor('#000000')
      .text(set.text, x + labelWidth, rowY, { width: valueWidth });
    rowY += height;
  }
}

function drawRemitTo(doc: Pdf, lines: readonly string[], x: number, y: number, width: number): void {
  if (lines.length === 0) return;
  doc.font(fonts.bold).fontSize(fontSize).fillColor(gray).text('Remit to', x, y, { width });
  for (const line of lines) {
    const set = chooseFont(line, 'regular');
    doc.font(set.font).fillColor('#000000').text(set.text, x, doc.y, { width });
  }
}

/** Draws an invoice's payment details from `startY` (on a new page when they do not fit); nothing when the issuer gives none. */
export function drawPaymentDetails(doc: Pdf, document: BillingDocument, issuer: IssuerDetails, page: PageGeometry, startY: number): void {
  const block = blockOf(document, issuer);
  if (block === null) return;
  const width = page.right - page.left;
  const remitToX = block.bank.length === 0 ? page.left : page.left + remitToOffset;
  const remitToWidth = page.right - remitToX;
  const valueWidth = remitToOffset - labelWidth - 12;
  const instructions = block.instructions === null ? null : chooseFont(block.instructions, 'regular');
  const headingHeight = doc.font(fonts.bold).fontSize(fontSize).heightOfString('Payment details', { width }) + 4;
  const columnsHeight = Math.max(bankHeight(doc, block.bank, valueWidth), linesHeight(doc, block.remitTo, remitToWidth));
  const instructionsHeight =
    instructions === null ? 0 : doc.font(instructions.font).fontSize(fontSize).heightOfString(instructions.text, { width }) + 6;
  let y = startY;
  if (y + headingHeight + columnsHeight + instructionsHeight > page.bottom) {
    doc.addPage();
    y = page.top;
  }
  doc.font(fonts.bold).fontSize(fontSize).fillColor('#000000').text('Payment details', page.left, y, { width });
  const columnsY = y + headingHeight;
  drawBank(doc, block.bank, page.left, columnsY, valueWidth);
  drawRemitTo(doc, block.remitTo, remitToX, columnsY, remitToWidth);
  if (instructions !== null) {
    doc
      .font(instructions.font)
      .fontSize(fontSize)
      .fillColor(gray)
      .text(instructions.text, page.left, columnsY + columnsHeight + (columnsHeight === 0 ? 0 : 6), { width });
  }
  doc.fillColor('#000000');
}
