/**
 * The totals block of a document's PDF (SPEC §10): the subtotal, which is the net, then a row per
 * tax line (its name, percent, the net it was charged on, and the tax), the total, the credits
 * applied to it if any, what was paid and credited, and what is due. A reverse-charged document prints its note beside the totals, in bold,
 * with the wording EU invoices carry for it; a document without tax has no tax rows and no note.
 */
import { formatDisplayMoney } from './document-text.ts';
import type { PageGeometry } from './paper.ts';
import { chooseFont, fonts, type SetText } from './pdf-fonts.ts';
import type { BillingDocument } from '../../../wire/billing.ts';
import { Decimal, parseMoney } from '../../../wire/money.ts';
import { type DocumentTax, REVERSE_CHARGE_NOTE } from '../../../wire/taxes.ts';

type Pdf = PDFKit.PDFDocument;

const fontSize = 9;
const rowGap = 6;
/** The block sits at the right of the page: labels that fit a tax's name, then the amounts. */
const labelWidth = 190;
const amountWidth = 110;
const blockWidth = labelWidth + amountWidth;
/** The note takes the left of the page, up to this far from the totals. */
const noteGap = 24;
const noteHeadingSize = 12;
const noteWordingSize = 8.5;

/**
 * What an EU invoice says of a reverse charge besides the words "Reverse charge" (which Article
 * 226(11a) of the VAT Directive requires): who accounts for the VAT, and under which article.
 */
export const EU_REVERSE_CHARGE_WORDING =
  'VAT reverse charge: the customer accounts for the VAT (Article 196, Council Directive 2006/112/EC).';

/** A tax line's label: "TVA 20 % (20%) on 1,000.00", the net grouped like every other figure. */
export function taxRowLabel(tax: Pick<DocumentTax, 'name' | 'percent' | 'base'>, currency: string): string {
  return `${tax.name} (${new Decimal(tax.percent).toFixed()}%) on ${formatDisplayMoney(tax.base, currency)}`;
}

/** The note a document prints beside its totals, and the wording under it; null when it has none. */
export function taxNoteText(taxNote: string | null): { heading: string; wording: string | null } | null {
  if (taxNote === null || taxNote.trim() === '') return null;
  // Tax rules write "Reverse charge" only for an EU entity's document to a business in another member state.
  return { heading: taxNote, wording: taxNote === REVERSE_CHARGE_NOTE ? EU_REVERSE_CHARGE_WORDING : null };
}

interface TotalsRow {
  label: SetText;
  amount: string;
  bold: boolean;
}

function rowsOf(document: BillingDocument): TotalsRow[] {
  const taxed = document.taxes.length > 0;
  const row = (label: string, amount: string, bold = false): TotalsRow => ({
    label: chooseFont(label, bold ? 'bold' : 'regular'),
    amount: `${document.currency} ${formatDisplayMoney(amount, document.currency)}`,
    bold,
  });
  return [
    row(taxed ? 'Subtotal (net)' : 'Subtotal', document.subtotal),
    // A tax's name is the entity's own words ("TVA 20 %"), so it gets the face that prints it.
    ...document.taxes.map((tax) => row(taxRowLabel(tax, document.currency), tax.amount)),
    row('Total', document.total, true),
    // Credits (prepayments, promotions, makegoods) applied at finalization pay part of the total; most invoices have none.
    ...(parseMoney(document.creditsApplied).isZero() ? [] : [row('Credits applied', document.creditsApplied)]),
    row('Amount paid', document.amountPaid),
    row('Credited', document.amountCredited),
    row(document.kind === 'invoice' ? 'Amount due' : 'Amount payable', document.amountDue, true),
  ];
}

function rowHeight(doc: Pdf, row: TotalsRow): number {
  return doc.font(row.label.font).fontSize(fontSize).heightOfString(row.label.text, { width: labelWidth }) + rowGap;
}

/** The note's height at `width`, as drawNote sets it. */
function noteHeight(doc: Pdf, note: { heading: SetText; wording: SetText | null }, width: number): number {
  const heading = doc.font(note.heading.font).fontSize(noteHeadingSize).heightOfString(note.heading.text, { width });
  if (note.wording === null) return heading;
  return heading + 3 + doc.font(note.wording.font).fontSize(noteWordingSize).heightOfString(note.wording.text, { width });
}

function drawNote(doc: Pdf, note: { heading: SetText; wording: SetText | null }, x: number, y: number, width: number): number {
  doc.font(note.heading.font).fontSize(noteHeadingSize).fillColor('#000000').text(note.heading.text, x, y, { width });
  if (note.wording !== null) {
    doc
      .font(note.wording.font)
      .fontSize(noteWordingSize)
      .fillColor('#333333')
      .text(note.wording.text, x, doc.y + 3, { width });
  }
  doc.fillColor('#000000');
  return doc.y;
}

/** Draws the totals of `document` from `startY` (on a new page when they do not fit); answers the y below them and the note. */
export function drawTotals(doc: Pdf, page: PageGeometry, document: BillingDocument, startY: number): number {
  const rows = rowsOf(document);
  const x = page.right - blockWidth;
  const noteWidth = x - noteGap - page.left;
  const noteText = taxNoteText(document.taxNote);
  const note =
    noteText === null
      ? null
      : {
          heading: chooseFont(noteText.heading, 'bold'),
          wording: noteText.wording === null ? null : chooseFont(noteText.wording, 'regular'),
        };
  const rowsHeight = rows.reduce((sum, row) => sum + rowHeight(doc, row), 0);
  const height = Math.max(rowsHeight, note === null ? 0 : noteHeight(doc, note, noteWidth));
  let y = startY;
  if (y + height > page.bottom) {
    doc.addPage();
    y = page.top;
  }
  const top = y;
  for (const row of rows) {
    const height = rowHeight(doc, row);
    doc.font(row.label.font).fontSize(fontSize).fillColor('#000000').text(row.label.text, x, y, { width: labelWidth });
    doc.font(row.bold ? fonts.bold : fonts.regular).text(row.amount, x + labelWidth, y, { width: amountWidth, align: 'right' });
    y += height;
  }
  const noteBottom = note === null ? top : drawNote(doc, note, page.left, top, noteWidth);
  return Math.max(y, noteBottom);
}
