/**
 * A party's statement of account as a PDF (SPEC §10, `GET /v1/parties/:id/statement.pdf`): the
 * issuer block of the party's billing entity, the party, and per currency its open invoices as of a
 * date (number, issue and due dates, total, paid, credited, credits applied, amount due, days past
 * due), then the aging of what it owes (current, 1–30, 31–60, 61–90, over 90 days past due) and the
 * total due. A pure function of the statement and the issuer, so the same statement renders to the
 * same bytes. The invoice PDF's issuer block, fonts, paper and money formats are reused as they are.
 */
import PDFDocument from 'pdfkit';
import type { IssuerDetails } from '../../../wire/billing.ts';
import { formatDisplayMoney } from './document-text.ts';
import { collect, drawIssuer } from './invoice-pdf.ts';
import { type PageGeometry, pageGeometry, paperSizeOf } from './paper.ts';
import { taxIdText } from './payment-details.ts';
import { fonts, registerFonts, useFont } from './pdf-fonts.ts';

type Pdf = PDFKit.PDFDocument;

/** One open invoice on the statement; money as decimal strings in the section's currency. */
export interface StatementInvoice {
  number: string;
  issueDate: string;
  dueDate: string;
  total: string;
  paid: string;
  credited: string;
  creditsApplied: string;
  amountDue: string;
  /** Days past due on the statement's date; 0 or less: not yet due. */
  daysPastDue: number;
}

/** What the party owes in one currency, by days past due, as the AR aging report buckets it. */
export interface StatementAging {
  current: string;
  days1to30: string;
  days31to60: string;
  days61to90: string;
  over90: string;
  total: string;
}

export interface StatementOfAccount {
  asOf: string;
  party: { name: string; billingEmail: string | null; externalRef: string | null; taxId: string | null };
  /** One section per currency the party owes in, each with its invoices oldest due first. */
  currencies: { currency: string; invoices: StatementInvoice[]; aging: StatementAging }[];
}

const gray = '#555555';
const fontSize = 7.5;
const cellPadding = 3;

interface Column {
  heading: string;
  width: number;
  align: 'left' | 'right';
  cell: (invoice: StatementInvoice, currency: string) => string;
}

const money = (field: 'total' | 'paid' | 'credited' | 'creditsApplied' | 'amountDue') => (invoice: StatementInvoice, currency: string) =>
  formatDisplayMoney(invoice[field], currency);

// 490 points: within Letter's 512 and A4's 510 between the margins. "INV-FR-2026-000001" is about
// 70 points at 7.5 points of DejaVu Sans Condensed; amounts up to 999,999,999.99 about 50.
const columns: Column[] = [
  { heading: 'Invoice', width: 86, align: 'left', cell: (invoice) => invoice.number },
  { heading: 'Issued', width: 46, align: 'left', cell: (invoice) => invoice.issueDate },
  { heading: 'Due', width: 46, align: 'left', cell: (invoice) => invoice.dueDate },
  { heading: 'Total', width: 56, align: 'right', cell: money('total') },
  { heading: 'Paid', width: 52, align: 'right', cell: money('paid') },
  { heading: 'Credited', width: 52, align: 'right', cell: money('credited') },
  { heading: 'Credits applied', width: 52, align: 'right', cell: money('creditsApplied') },
  { heading: 'Amount due', width: 58, align: 'right', cell: money('amountDue') },
  { heading: 'Days past due', width: 42, align: 'right', cell: (invoice) => (invoice.daysPastDue > 0 ? String(invoice.daysPastDue) : '–') },
];

const agingColumns: [keyof StatementAging, string][] = [
  ['current', 'Current'],
  ['days1to30', '1–30 days'],
  ['days31to60', '31–60 days'],
  ['days61to90', '61–90 days'],
  ['over90', 'Over 90 days'],
  ['total', 'Total due'],
];

/** Renders the statement as issued by `issuer` (the party's billing entity) to PDF bytes. */
export async function renderStatementPdf(statement: StatementOfAccount, issuer: IssuerDetails): Promise<Buffer> {
  // The paper follows the issuer, else the first currency owed, as an invoice's would.
  const page = pageGeometry(paperSizeOf({ currency: statement.currencies[0]?.currency ?? '' }, issuer));
  const doc = new PDFDocument({
    size: page.size,
    margins: { top: page.top, left: page.left, right: page.width - page.right, bottom: page.height - page.bottom },
    bufferPages: true,
    info: {
      Title: `Statement of account ${statement.party.name} ${statement.asOf}`,
      Author: issuer.name,
      CreationDate: new Date(`${statement.asOf}T00:00:00.000Z`),
    },
  });
  const bytes = collect(doc);
  registerFonts(doc);
  const headerBottom = Math.max(drawIssuer(doc, page, issuer), drawFacts(doc, page, statement));
  let y = drawParty(doc, page, statement, headerBottom + 18) + 18;
  if (statement.currencies.length === 0) {
    doc.font(fonts.regular).fontSize(10).fillColor('#000000').text(`Nothing is owed as of ${statement.asOf}.`, page.left, y);
  }
  for (const section of statement.currencies) y = drawSection(doc, page, section, y) + 18;
  finishPages(doc, page, statement);
  doc.end();
  return bytes;
}

function drawFacts(doc: Pdf, page: PageGeometry, statement: StatementOfAccount): number {
  const x = page.right - 222;
  const width = page.right - x;
  doc.font(fonts.bold).fontSize(18).fillColor('#000000').text('Statement of account', x, page.top, { width, align: 'right' });
  let y = doc.y + 6;
  const facts: [string, string][] = [
    ['As of', statement.asOf],
    ['Currencies', statement.currencies.map((section) => section.currency).join(', ') || '–'],
  ];
  for (const [label, value] of facts) {
    doc.font(fonts.regular).fontSize(9).fillColor(gray).text(label, x, y, { width: 80 });
    doc
      .font(fonts.bold)
      .fillColor('#000000')
      .text(value, x + 80, y, { width: width - 80, align: 'right' });
    y = doc.y + 2;
  }
  return y;
}

function drawParty(doc: Pdf, page: PageGeometry, statement: StatementOfAccount, y: number): number {
  const width = 300;
  const { party } = statement;
  doc.font(fonts.bold).fontSize(9).fillColor(gray).text('Statement for', page.left, y, { width });
  doc
    .fontSize(11)
    .fillColor('#000000')
    .text(useFont(doc, party.name, 'bold'), page.left, doc.y + 2, { width });
  doc.fontSize(9);
  if (party.billingEmail !== null) doc.text(useFont(doc, party.billingEmail, 'regular'), page.left, doc.y, { width });
  if (party.externalRef !== null) doc.text(useFont(doc, `Customer ref: ${party.externalRef}`, 'regular'), page.left, doc.y, { width });
  if (party.taxId !== null && party.taxId.trim() !== '')
    doc.text(useFont(doc, taxIdText(party.taxId), 'regular'), page.left, doc.y, { width });
  return doc.y;
}

/** A row of cells at `y`; answers the row's bottom. */
function drawRow(
  doc: Pdf,
  page: PageGeometry,
  cells: { text: string; width: number; align: 'left' | 'right' }[],
  y: number,
  bold: boolean,
): number {
  doc
    .font(bold ? fonts.bold : fonts.regular)
    .fontSize(fontSize)
    .fillColor('#000000');
  let x = page.left;
  let bottom = y;
  for (const cell of cells) {
    doc.text(cell.text, x + cellPadding, y, { width: cell.width - 2 * cellPadding, align: cell.align });
    bottom = Math.max(bottom, doc.y);
    x += cell.width;
  }
  return bottom + 3;
}

function rule(doc: Pdf, page: PageGeometry, y: number, width: number): void {
  doc
    .moveTo(page.left, y)
    .lineTo(page.left + width, y)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke();
}

const tableWidth = columns.reduce((sum, column) => sum + column.width, 0);
/** Room a row needs below it, so that a row never starts where it cannot end. */
const rowHeight = 14;

function drawTableHeading(doc: Pdf, page: PageGeometry, y: number): number {
  const bottom = drawRow(
    doc,
    page,
    columns.map((column) => ({ text: column.heading, width: column.width, align: column.align })),
    y,
    true,
  );
  rule(doc, page, bottom, tableWidth);
  return bottom + 3;
}

function drawSection(doc: Pdf, page: PageGeometry, section: StatementOfAccount['currencies'][number], top: number): number {
  let y = top;
  // A section's title, its heading and a first row start on one page.
  if (y + 4 * rowHeight > page.bottom) {
    doc.addPage();
    y = page.top;
  }
  doc.font(fonts.bold).fontSize(10).fillColor('#000000').text(`Open invoices in ${section.currency}`, page.left, y);
  y = drawTableHeading(doc, page, doc.y + 4);
  for (const invoice of section.invoices) {
    if (y + rowHeight > page.bottom) {
      doc.addPage();
      y = drawTableHeading(doc, page, page.top);
    }
    y = drawRow(
      doc,
      page,
      columns.map((column) => ({ text: column.cell(invoice, section.currency), width: column.width, align: column.align })),
      y,
      false,
    );
  }
  rule(doc, page, y, tableWidth);
  y += 8;
  if (y + 4 * rowHeight > page.bottom) {
    doc.addPage();
    y = page.top;
  }
  const agingWidth = tableWidth / agingColumns.length;
  doc.font(fonts.bold).fontSize(9).fillColor('#000000').text(`Aging in ${section.currency} (days past due)`, page.left, y);
  y = drawRow(
    doc,
    page,
    agingColumns.map(([, heading]) => ({ text: heading, width: agingWidth, align: 'right' as const })),
    doc.y + 4,
    true,
  );
  rule(doc, page, y, tableWidth);
  y = drawRow(
    doc,
    page,
    agingColumns.map(([bucket]) => ({
      text: `${section.currency} ${formatDisplayMoney(section.aging[bucket], section.currency)}`,
      width: agingWidth,
      align: 'right' as const,
    })),
    y + 3,
    false,
  );
  return y;
}

/** Each page's footer ("Page 1 of N") with whom and which date the statement is of. */
function finishPages(doc: Pdf, page: PageGeometry, statement: StatementOfAccount): void {
  const range = doc.bufferedPageRange();
  const reference = `Statement of account, ${statement.party.name}, as of ${statement.asOf}`;
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    // The footer sits below the bottom margin; with the margin in place pdfkit would start a new page for it.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fontSize(8).fillColor(gray);
    doc.text(useFont(doc, reference, 'regular'), page.left, page.footerY, { width: 300, lineBreak: false });
    doc.font(fonts.regular).text(`Page ${index - range.start + 1} of ${range.count}`, page.right - 150, page.footerY, {
      width: 150,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottomMargin;
  }
}
