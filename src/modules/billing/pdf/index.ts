/** The billing/pdf module's public surface: documents rendered as PDF, and how their numbers read to a person. */
export { renderDocumentPdf } from './invoice-pdf.ts';
export { renderStatementPdf, type StatementAging, type StatementInvoice, type StatementOfAccount } from './statement-pdf.ts';
export { paperSizeOf } from './paper.ts';
export { describeLine, humanizeKey } from './line-words.ts';
export {
  correctsText,
  describeQuantityAndRate,
  formatDisplayMoney,
  formatQuantity,
  formatRate,
  paymentTermsText,
} from './document-text.ts';
