/**
 * An invoice or payout statement as a PDF (SPEC §5, `GET /v1/invoices/:id/pdf`): issuer and party
 * with their tax ids, dates and terms, the lines table in words with tier breakdowns, the totals with
 * a row per tax and a reverse charge's note (invoice-pdf-totals.ts), the payment details, page numbers, and a DRAFT or VOID mark when the document is one; on A4 or US
 * Letter (paper.ts). A pure function of the document and the issuer: the creation date comes from
 * the document, so the same document renders to the same bytes.
 */
import PDFDocument from 'pdfkit';
import { paymentTermsText } from './document-text.ts';
import { drawLinesTable } from './invoice-pdf-table.ts';
import { drawTotals } from './invoice-pdf-totals.ts';
import { type PageGeometry, pageGeometry, paperSizeOf } from './paper.ts';
import { drawPaymentDetails, taxIdText } from './payment-details.ts';
import { fonts, registerFonts, useFont } from './pdf-fonts.ts';
import type { BillingDocument, DocumentParty } from '../../../wire/billing.ts';
import type { IssuerDetails } from '../../../wire/billing.ts';

type Pdf = PDFKit.PDFDocument;

const gray = '#555555';

/** Renders `document` as issued by `issuer` to PDF bytes, with embedded fonts that print any party's name (pdf-fonts.ts). */
export async function renderDocumentPdf(document: BillingDocument, issuer: IssuerDetails): Promise<Buffer> {
  const page = pageGeometry(paperSizeOf(document, issuer));
  const doc = new PDFDocument({
    size: page.size,
    margins: { top: page.top, left: page.left, right: page.width - page.right, bottom: page.height - page.bottom },
    // Pages are kept in memory until the end so that each can say "Page 1 of N".
    bufferPages: true,
    info: {
      Title: `${titleOf(document)} ${document.number ?? 'draft'}`,
      Author: issuer.name,
      CreationDate: new Date(document.finalizedAt ?? document.createdAt),
    },
  });
  const bytes = collect(doc);
  registerFonts(doc);
  const headerBottom = Math.max(drawIssuer(doc, page, issuer), drawDocumentFacts(doc, page, document));
  const partyBottom = drawParty(doc, page, document, headerBottom + 18);
  const tableBottom = drawLinesTable(doc, document, page, partyBottom + 18);
  const totalsBottom = drawTotals(doc, page, document, tableBottom + 12);
  // A payout statement is paid by the issuer: the partner needs no instructions to pay it.
  if (document.kind === 'invoice') drawPaymentDetails(doc, document, issuer, page, totalsBottom + 18);
  finishPages(doc, page, document);
  doc.end();
  return bytes;
}

/** The bytes `doc` writes, once it ends (the statement of account shares it). */
export function collect(doc: Pdf): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

function titleOf(document: BillingDocument): string {
  return document.kind === 'invoice' ? 'Invoice' : 'Payout statement';
}

/** The mark a document carries across every page, if any: a draft has no number yet, a void one no longer counts. */
function markOf(document: BillingDocument): 'DRAFT' | 'VOID' | null {
  if (document.status === 'void') return 'VOID';
  return document.number === null ? 'DRAFT' : null;
}

/** The issuer block at the top left: name, address, e-mail and tax id; answers where it ends. */
export function drawIssuer(doc: Pdf, page: PageGeometry, issuer: IssuerDetails): number {
  const width = 270;
  doc
    .fontSize(14)
    .fillColor('#000000')
    .text(useFont(doc, issuer.name, 'bold'), page.left, page.top, { width });
  doc.fontSize(9).fillColor(gray);
  const details = [...issuer.addressLines, issuer.email, issuer.taxId === null ? null : taxIdText(issuer.taxId)];
  for (const detail of details) {
    if (detail !== null && detail !== '') doc.text(useFont(doc, detail, 'regular'), page.left, doc.y, { width });
  }
  return doc.y;
}

const statusLabels: Partial<Record<BillingDocument['status'], string>> = {
  draft: 'DRAFT',
  needs_review: 'DRAFT',
  void: 'VOID',
  paid: 'Paid',
  partially_paid: 'Partially paid',
};

function drawDocumentFacts(doc: Pdf, page: PageGeometry, document: BillingDocument): number {
  const x = page.right - 222;
  const width = page.right - x;
  doc.font(fonts.bold).fontSize(20).fillColor('#000000').text(titleOf(document), x, page.top, { width, align: 'right' });
  const facts: Array<[string, string]> = [
    ['Number', document.number ?? 'DRAFT'],
    ['Issue date', document.issueDate ?? 'not yet issued'],
    ['Due date', document.dueDate ?? 'not yet issued'],
    ['Payment terms', paymentTermsText(document.paymentTermsDays)],
    // The month key alone is ambiguous for a broadcast month, so the dates follow it.
    ['Billing period', `${document.period.label}\n${document.period.from} – ${document.period.to}`],
  ];
  const status = statusLabels[document.status];
  // A draft already says DRAFT where its number will be.
  if (status !== undefined && !(status === 'DRAFT' && document.number === null)) facts.splice(1, 0, ['Status', status]);
  let y = doc.y + 6;
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

/** The bill-to party's tax id, when its snapshot records one (SPEC §10: kept from finalization). */
function partyTaxId(party: DocumentParty): string | null {
  const taxId = party.taxId?.trim() ?? '';
  return taxId === '' ? null : taxId;
}

function drawParty(doc: Pdf, page: PageGeometry, document: BillingDocument, y: number): number {
  const width = 300;
  const label = document.kind === 'invoice' ? 'Bill to' : 'Payee';
  doc.font(fonts.bold).fontSize(9).fillColor(gray).text(label, page.left, y, { width });
  doc
    .fontSize(11)
    .fillColor('#000000')
    .text(useFont(doc, document.party.name, 'bold'), page.left, doc.y + 2, { width });
  doc.fontSize(9);
  if (document.party.billingEmail !== null) doc.text(useFont(doc, document.party.billingEmail, 'regular'), page.left, doc.y, { width });
  if (document.party.externalRef !== null)
    doc.text(useFont(doc, `Customer ref: ${document.party.externalRef}`, 'regular'), page.left, doc.y, { width });
  const taxId = partyTaxId(document.party);
  if (taxId !== null) doc.text(useFont(doc, taxIdText(taxId), 'regular'), page.left, doc.y, { width });
  return doc.y;
}

/** Writes each page's footer ("Page 1 of N") and mark, now that the number of pages is known. */
function finishPages(doc: Pdf, page: PageGeometry, document: BillingDocument): void {
  const range = doc.bufferedPageRange();
  const mark = markOf(document);
  const reference = `${titleOf(document)} ${document.number ?? '(draft)'}`;
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    // The footer sits below the bottom margin; with the margin in place pdfkit would start a new page for it.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(fonts.regular).fontSize(8).fillColor(gray);
    doc.text(reference, page.left, page.footerY, { width: 250, lineBreak: false });
    doc.text(`Page ${index - range.start + 1} of ${range.count}`, page.right - 150, page.footerY, {
      width: 150,
      align: 'right',
      lineBreak: false,
    });
    if (mark !== null) drawMark(doc, page, mark);
    doc.page.margins.bottom = bottomMargin;
  }
}

function drawMark(doc: Pdf, page: PageGeometry, mark: 'DRAFT' | 'VOID'): void {
  doc.save();
  doc.rotate(-35, { origin: [page.width / 2, page.height / 2] });
  doc.font(fonts.bold).fontSize(120).fillColor('#cc0000').fillOpacity(0.15);
  doc.text(mark, 0, page.height / 2 - 60, { width: page.width, align: 'center', lineBreak: false });
  doc.restore();
}
