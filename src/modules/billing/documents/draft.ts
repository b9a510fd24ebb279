/** A draft as a billing run hands it over to be written: the document and its lines, in order. */
import type { BilledKind, ChargeLine, ChargeUnit, Explain, RatingFlag } from '../../rating/index.ts';
import type { DocumentKind } from '../../../wire/billing.ts';

/** One line of a draft: a rated line, or an adjustment of an issued period. */
export interface DraftLine {
  contractId: string;
  lineItem: string | null;
  lineKey: string;
  kind: ChargeLine['kind'];
  description: string;
  quantity: number;
  unit: ChargeUnit;
  rate: string | null;
  amount: string;
  version: number | null;
  from: string;
  to: string;
  billedPeriod: string;
  correctsKind: BilledKind | null;
  corrects: { documentId: string; number: string } | null;
  flags: RatingFlag[];
  explain: Explain;
}

export interface DraftDocument {
  kind: DocumentKind;
  partyId: string;
  currency: string;
  period: { label: string; from: string; to: string };
  lines: (DraftLine & { position: number })[];
  subtotal: string;
  flags: RatingFlag[];
  paymentTermsDays: number;
}
