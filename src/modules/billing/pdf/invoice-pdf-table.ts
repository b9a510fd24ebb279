/**
 * The lines table of a document's PDF: each line in words (line-words.ts) with its period, quantity,
 * rate and amount, a smaller row under it per tier that priced it (tier-rows.ts), and the header
 * repeated on every page the table reaches.
 */
import { correctsText, formatDisplayMoney, formatQuantity, formatRate } from './document-text.ts';
import { describeLine } from './line-words.ts';
import type { PageGeometry } from './paper.ts';
import { chooseFont, type FontWeight, type SetText } from './pdf-fonts.ts';
import { type TierBreakdown, type TierRow, tierBreakdownOf } from './tier-rows.ts';
import type { BillingDocument, DocumentLine } from '../../../wire/billing.ts';

type Pdf = PDFKit.PDFDocument;

/** A line as the table prints it: its words, and its tier breakdown when tiers priced it. */
interface TableLine {
  line: DocumentLine;
  tiers: TierBreakdown | null;
}

interface Column {
  heading: string;
  width: number;
  align: 'left' | 'right';
  cell: (entry: TableLine, currency: string) => string;
  /** A tier's row under its line. */
  tierCell: (row: TierRow) => string;
}

const cellPadding = 4;
const tableFontSize = 8;
const tierFontSize = 7;
/** A tier's description is indented under its line's. */
const tierIndent = 8;

function columnsFor(currency: string, tableWidth: number): Column[] {
  // Widths fit "2026-10-01 – 2026-10-31" (92 points of text), "1,250,000 impressions" (82) and
  // "12.345 per conversion" (81) on one line at 8 points of DejaVu Sans Condensed, with the padding;
  // amounts up to 1,234,567,890.000 (69). The description takes what is left (140 points on A4, 142
  // on Letter) and wraps.
  const fixed: Column[] = [
    { heading: 'Period', width: 101, align: 'left', cell: ({ line }) => `${line.from} – ${line.to}`, tierCell: () => '' },
    { heading: 'Quantity', width: 91, align: 'right', cell: quantityCell, tierCell: (row) => row.quantity },
    { heading: 'Rate', width: 90, align: 'right', cell: (entry) => rateCell(entry, currency), tierCell: (row) => row.rate },
    {
      heading: `Amount (${currency})`,
      width: 88,
      align: 'right',
      cell: ({ line }) => formatDisplayMoney(line.amount, currency),
      tierCell: (row) => row.amount,
    },
  ];
  const descriptionWidth = tableWidth - fixed.reduce((sum, column) => sum + column.width, 0);
  return [
    {
      heading: 'Description',
      width: descriptionWidth,
      align: 'left',
      cell: (entry) => describeCell(entry, currency),
      tierCell: (row) => row.label,
    },
    ...fixed,
  ];
}

function describeCell({ line }: TableLine, currency: string): string {
  const description = describeLine(line, currency);
  const corrects = correctsText(line);
  return corrects === null ? description : `${description}\n${corrects}`;
}

function quantityCell({ line }: TableLine): string {
  // A charge per period is counted as one period only to fit the line shape; "1" would say nothing.
  return line.unit === 'period' && line.quantity === 1 ? '' : formatQuantity(line.quantity, line.unit);
}

/** A line's one rate; a line that several tiers priced points at its tier rows instead. */
function rateCell({ line, tiers }: TableLine, currency: string): string {
  const rate = formatRate(line, currency);
  if (rate !== null) return rate;
  if (tiers === null) return '';
  return tiers.mode === 'graduated' ? 'graduated tiers' : 'volume tier';
}

/** Each cell's face is chosen once (pdf-fonts.ts), then the row is measured and drawn with it. */
function setCells(texts: readonly string[], weight: FontWeight): SetText[] {
  return texts.map((text) => chooseFont(text, weight));
}

/** Where a row's cells go: the table's columns, from the page's left edge, the first indented by `indent`. */
interface RowLayout {
  columns: readonly Column[];
  left: number;
  indent: number;
}

function cellWidth(layout: RowLayout, index: number): number {
  return (layout.columns[index]?.width ?? 0) - 2 * cellPadding - (index === 0 ? layout.indent : 0);
}

function rowHeight(doc: Pdf, cells: readonly SetText[], layout: RowLayout): number {
  const heights = cells.map((cell, index) =>
    doc.font(cell.font).heightOfString(cell.text === '' ? ' ' : cell.text, { width: cellWidth(layout, index) }),
  );
  return Math.max(...heights) + 2 * cellPadding;
}

function drawRow(doc: Pdf, cells: readonly SetText[], layout: RowLayout, y: number): void {
  let x = layout.left;
  layout.columns.forEach((column, index) => {
    const cell = cells[index] as SetText;
    const indent = index === 0 ? layout.indent : 0;
    doc
      .font(cell.font)
      .text(cell.text, x + cellPadding + indent, y + cellPadding, { width: cellWidth(layout, index), align: column.align });
    x += column.width;
  });
}

function drawHeader(doc: Pdf, page: PageGeometry, layout: RowLayout, y: number): number {
  doc.fontSize(tableFontSize);
  const headings = setCells(
    layout.columns.map((column) => column.heading),
    'bold',
  );
  const height = rowHeight(doc, headings, layout);
  doc
    .save()
    .rect(page.left, y, page.right - page.left, height)
    .fill('#eeeeee')
    .restore();
  doc.fillColor('#000000');
  drawRow(doc, headings, layout, y);
  return y + height;
}

/** A row's text, measured: what drawing it needs. */
interface SetRow {
  cells: SetText[];
  layout: RowLayout;
  fontSize: number;
  color: string;
  height: number;
}

/** A line's own row, then a smaller row per tier of its breakdown. */
function rowsOf(doc: Pdf, entry: TableLine, columns: readonly Column[], left: number, currency: string): SetRow[] {
  const lineLayout: RowLayout = { columns, left, indent: 0 };
  doc.fontSize(tableFontSize);
  const lineCells = setCells(
    columns.map((column) => column.cell(entry, currency)),
    'regular',
  );
  const rows: SetRow[] = [
    { cells: lineCells, layout: lineLayout, fontSize: tableFontSize, color: '#000000', height: rowHeight(doc, lineCells, lineLayout) },
  ];
  const tierLayout: RowLayout = { columns, left, indent: tierIndent };
  doc.fontSize(tierFontSize);
  for (const tier of entry.tiers?.rows ?? []) {
    const cells = setCells(
      columns.map((column) => column.tierCell(tier)),
      'regular',
    );
    rows.push({ cells, layout: tierLayout, fontSize: tierFontSize, color: '#555555', height: rowHeight(doc, cells, tierLayout) });
  }
  return rows;
}

/** Draws the lines of `document` from `startY` on pages of `page`, adding pages as needed; answers the y below the last row. */
export function drawLinesTable(doc: Pdf, document: BillingDocument, page: PageGeometry, startY: number): number {
  const columns = columnsFor(document.currency, page.right - page.left);
  const headerLayout: RowLayout = { columns, left: page.left, indent: 0 };
  let y = drawHeader(doc, page, headerLayout, startY);
  const lines = [...document.lines].sort((a, b) => a.position - b.position);
  for (const line of lines) {
    const rows = rowsOf(doc, { line, tiers: tierBreakdownOf(line, document.currency) }, columns, page.left, document.currency);
    for (const [index, row] of rows.entries()) {
      // A line's row starts a new page only with room for its first tier too, so that no tier is printed apart from its line.
      const keepWith = index === 0 ? (rows[1]?.height ?? 0) : 0;
      if (y + row.height + keepWith > page.bottom) {
        doc.addPage();
        y = drawHeader(doc, page, headerLayout, page.top);
      }
      doc.fontSize(row.fontSize).fillColor(row.color);
      drawRow(doc, row.cells, row.layout, y);
      y += row.height;
    }
    doc.fillColor('#000000');
    doc.save().moveTo(page.left, y).lineTo(page.right, y).lineWidth(0.5).stroke('#dddddd').restore();
  }
  return y;
}
