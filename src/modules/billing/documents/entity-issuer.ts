/**
 * What a billing entity (SPEC §10) gives the documents it issues: the issuer block they print and
 * the prefix of their number series. The default entity of a store created before entities has no
 * number prefix, so its series go on as before (`INV-2026-000043`); any other entity's documents
 * carry its prefix (`INV-EU-2026-000001`), one gap-free series per kind, entity and year.
 */
import type { BillingEntity } from '../../../wire/billing-entities.ts';
import type { IssuerDetails } from '../../../wire/billing.ts';

/** The issuer block a document of this entity prints: its legal name and details. */
export function issuerOfEntity(entity: BillingEntity): IssuerDetails {
  return {
    name: entity.legalName,
    addressLines: entity.address,
    email: entity.email,
    taxId: entity.taxId,
    paymentInstructions: entity.paymentInstructions,
    bankDetails: entity.bankDetails,
    remitToLines: entity.remitTo,
    paperSize: entity.paperSize,
  };
}

/** The series prefix of a document kind (`INV`, `CN`, `PS`) at this entity: `INV` or `INV-EU`. */
export function seriesOf(kindPrefix: string, entity: Pick<BillingEntity, 'numberPrefix'>): string {
  return entity.numberPrefix === null ? kindPrefix : `${kindPrefix}-${entity.numberPrefix}`;
}
