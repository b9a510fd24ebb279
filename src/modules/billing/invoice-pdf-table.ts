/**
 * The lines table of a document PDF: a header row, then one row per line, starting a new page
 * (with the header repeated) whenever the next row would cross the bottom margin, so a long invoice
 * reads the same on page 7 as on page 1.
 */
import type { BillingDocument, DocumentLine } from './invoice.ts';
import { correctsText, formatDisplayMoney, formatQuantity, formatRate } from './document-text.ts';
import { type FontWeight, useFont } from './pdf-fonts.ts';

type Pdf = PDFKit.PDFDocument;

/** Page geometry shared by the PDF's parts, in points (US Letter). */
export const page = {
  width: 612,
  height: 792,
  left: 50,
  right: 562,
  top: 50,
  /** Rows stop here; below it sit the footer (page numbers) and nothing else. */
  bottom: 730,
  footerY: 752,
} as const;

interface Column {
  heading: string;
  width: number;
  align: 'left' | 'right';
  cell: (line: DocumentLine, currency: string) => string;
}

const cellPadding = 4;
const tableFontSize = 8;

function columnsFor(currency: string): Column[] {
  return [
    // Widths fit "corrects INV-2026-000101 (2026-09)" (133 points of text), "2026-10-01 – 2026-10-31"
    // (92), "1,250,000 impressions" (82) and "12.345 per conversion" (81) on one line at 8 points of
    // DejaVu Sans Condensed, with the padding; amounts up to 1,234,567,890.000 (69).
    { heading: 'Description', width: 142, align: 'left', cell: describeCell },
    { heading: 'Period', width: 101, align: 'left', cell: (line) => `${line.from} – ${line.to}` },
    { heading: 'Quantity', width: 91, align: 'right', cell: quantityCell },
    { heading: 'Rate', width: 90, align: 'right', cell: (line) => formatRate(line, currency) ?? '' },
    { heading: `Amount (${currency})`, width: 88, align: 'right', cell: (line) => formatDisplayMoney(line.amount, currency) },
  ];
}

function describeCell(line: DocumentLine): string {
  const corrects = correctsText(line);
  return corrects === null ? line.description : `${line.description}\n${corrects}`;
}

function quantityCell(line: DocumentLine): string {
  // A charge per period is counted as one period only to fit the line shape; "1" would say nothing.
  return line.unit === 'period' && line.quantity === 1 ? '' : formatQuantity(line.quantity, line.unit);
}

/** Each cell is measured and drawn in the face that prints its text (pdf-fonts.ts). */
function rowHeight(doc: Pdf, texts: readonly string[], columns: readonly Column[], weight: FontWeight): number {
  const heights = texts.map((text, index) => {
    const printed = useFont(doc, text === '' ? ' ' : text, weight);
    return doc.heightOfString(printed, { width: (columns[index]?.width ?? 0) - 2 * cellPadding });
  });
  return Math.max(...heights) + 2 * cellPadding;
}

function drawRow(doc: Pdf, texts: readonly string[], columns: readonly Column[], y: number, weight: FontWeight): void {
  let x = page.left;
  columns.forEach((column, index) => {
    const printed = useFont(doc, texts[index] ?? '', weight);
    doc.text(printed, x + cellPadding, y + cellPadding, { width: column.width - 2 * cellPadding, align: column.align });
    x += column.width;
  });
}

function drawHeader(doc: Pdf, columns: readonly Column[], y: number): number {
  doc.fontSize(tableFontSize);
  const headings = columns.map((column) => column.heading);
  const height = rowHeight(doc, headings, columns, 'bold');
  doc.save().rect(page.left, y, page.right - page.left, height).fill('#eeeeee').restore();
  doc.fillColor('#000000');
  drawRow(doc, headings, columns, y, 'bold');
  return y + height;
}

/** Draws the lines of `document` from `startY`, adding pages as needed; answers the y below the last row. */
export function drawLinesTable(doc: Pdf, document: BillingDocument, startY: number): number {
  const columns = columnsFor(document.currency);
  let y = drawHeader(doc, columns, startY);
  const lines = [...document.lines].sort((a, b) => a.position - b.position);
  for (const line of lines) {
    doc.fontSize(tableFontSize).fillColor('#000000');
    const texts = columns.map((column) => column.cell(line, document.currency));
    const height = rowHeight(doc, texts, columns, 'regular');
    if (y + height > page.bottom) {
      doc.addPage();
      y = drawHeader(doc, columns, page.top);
      doc.fontSize(tableFontSize);
    }
    drawRow(doc, texts, columns, y, 'regular');
    y += height;
    doc.save().moveTo(page.left, y).lineTo(page.right, y).lineWidth(0.5).stroke('#dddddd').restore();
  }
  return y;
}
