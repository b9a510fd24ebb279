/**
 * The paper a document prints on, and the page geometry each size gives the PDF's parts. A German
 * customer billed in EUR files A4; a US or Canadian one, Letter. The issuer may name one size for
 * all its documents; otherwise the document's currency decides, since it says where the customer
 * is better than anything else a document carries.
 */
import type { PaperSize } from '../../../wire/bank-details.ts';
import type { BillingDocument, IssuerDetails } from '../../../wire/billing.ts';

/** Currencies of the countries that file US Letter. */
const letterCurrencies: ReadonlySet<string> = new Set(['USD', 'CAD']);

/** The issuer's paper size when it names one; else US Letter for a document in USD or CAD, A4 for any other currency. */
export function paperSizeOf(document: Pick<BillingDocument, 'currency'>, issuer: Pick<IssuerDetails, 'paperSize'>): PaperSize {
  if (issuer.paperSize !== undefined && issuer.paperSize !== null) return issuer.paperSize;
  return letterCurrencies.has(document.currency) ? 'LETTER' : 'A4';
}

/** Where the PDF's parts go on a page, in points (1/72 in). */
export interface PageGeometry {
  size: PaperSize;
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  /** Rows stop here; below it sit the footer (page numbers) and nothing else. */
  bottom: number;
  footerY: number;
}

/** pdfkit's sizes: A4 is 595.28 × 841.89 points, Letter 612 × 792. */
const sheets: Record<PaperSize, { width: number; height: number; side: number }> = {
  // 15 mm sides on A4 leave the table the same 510 points or so as Letter's 50-point sides.
  A4: { width: 595.28, height: 841.89, side: 42.52 },
  LETTER: { width: 612, height: 792, side: 50 },
};

/** The geometry of a page of `size`. */
export function pageGeometry(size: PaperSize): PageGeometry {
  const sheet = sheets[size];
  return {
    size,
    width: sheet.width,
    height: sheet.height,
    left: sheet.side,
    right: sheet.width - sheet.side,
    top: 50,
    bottom: sheet.height - 62,
    footerY: sheet.height - 40,
  };
}
