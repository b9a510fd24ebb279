/** The billing/documents module's public surface: invoices and payout statements, their drafts, reads and finalization. */
export {
  analyzeDocuments,
  deleteDrafts,
  findDocumentTaxes,
  findFirstRunInvoice,
  insertDrafts,
  listIssuedInvoices,
} from './document.repository.ts';
export { finalizeDocuments, finalizeRunDocuments } from './finalize-documents.ts';
export { documentNumber } from './document-numbers.ts';
export { issuerOfEntity, seriesOf } from './entity-issuer.ts';
export { readDocument, readDocumentHeading } from './read-document.ts';
export { readDocumentIssuer } from './issuer.ts';
export { invoiceRoutes, payoutStatementRoutes, runDocumentRoutes } from './documents.routes.ts';
export type { DraftDocument, DraftLine } from './draft.ts';
