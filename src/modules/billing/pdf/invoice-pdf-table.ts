import { correctsText, formatDisplayMoney, formatQuantity, formatRate } from './document-text.ts';
import { chooseFont, type FontWeight, type SetText } from './pdf-fonts.ts';
import type { BillingDocument, DocumentLine } from '../../../wire/billing.ts';

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

/** Each cell's face is chosen once (pdf-fonts.ts), then the row is measured and drawn with it. */
function setCells(texts: readonly string[], weight: FontWeight): SetText[] {
  return texts.map((text) => chooseFont(text, weight));
}

function rowHeight(doc: Pdf, cells: readonly SetText[], columns: readonly Column[]): number {
  const heights = cells.map((cell, index) =>
    doc.font(cell.font).heightOfString(cell.text === '' ? ' ' : cell.text, { width: (columns[index]?.width ?? 0) - 2 * cellPadding }),
  );
  return Math.max(...heights) + 2 * cellPadding;
}

function drawRow(doc: Pdf, cells: readonly SetText[], columns: readonly Column[], y: number): void {
  let x = page.left;
  columns.forEach((column, index) => {
    const cell = cells[index] as SetText;
    doc.font(cell.font).text(cell.text, x + cellPadding, y + cellPadding, { width: column.width - 2 * cellPadding, align: column.align });
    x += column.width;
  });
}

function drawHeader(doc: Pdf, columns: readonly Column[], y: number): number {
  doc.fontSize(tableFontSize);
  const headings = setCells(
    columns.map((column) => column.heading),
    'bold',
  );
  const height = rowHeight(doc, headings, columns);
  doc
    .save()
    .rect(page.left, y, page.right - page.left, height)
    .fill('#eeeeee')
    .restore();
  doc.fillColor('#000000');
  drawRow(doc, headings, columns, y);
  return y + height;
}

/** Draws the lines of `document` from `startY`, adding pages as needed; answers the y below the last row. */
export function drawLinesTable(doc: Pdf, document: BillingDocument, startY: number): number {
  const columns = columnsFor(document.currency);
  let y = drawHeader(doc, columns, startY);
  const lines = [...document.lines].sort((a, b) => a.position - b.position);
  for (const line of lines) {
    doc.fontSize(tableFontSize).fillColor('#000000');
    const cells = setCells(
      columns.map((column) => column.cell(line, document.currency)),
      'regular',
    );
    const height = rowHeight(doc, cells, columns);
    if (y + height > page.bottom) {
      doc.addPage();
      y = drawHeader(doc, columns, page.top);
      doc.fontSize(tableFontSize);
    }
    drawRow(doc, cells, columns, y);
    y += height;
    doc.save().moveTo(page.left, y).lineTo(page.right, y).lineWidth(0.5).stroke('#dddddd').restore();
  }
  return y;
}
