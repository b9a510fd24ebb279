/**
 * What finalized documents bill for one contract, per billed period and line key: the base against
 * which an issued period's impact is an adjustment, and what earlier periods' caps count. Voided
 * documents bill nothing; drafts are not billed yet (a run replaces them).
 */
import { sql } from 'kysely';
import type { Executor } from '../../../platform/database.ts';
import type { BilledAmount, BilledKind } from '../../rating/index.ts';

export interface IssuedBilling {
  /** Billed amounts of finalized documents (originals and adjustments), one per billed period, line key and kind. */
  amounts: BilledAmount[];
  /** Periods that a finalized document bills with its original lines: a run adjusts them, never bills them again. */
  issued: Set<string>;
}

/** The contract's finalized, non-void billing, summed per billed period, line key and kind. */
export async function loadIssuedBilling(db: Executor, contractId: string): Promise<IssuedBilling> {
  const rows = await sql<{
    billed_period: string;
    line_key: string;
    line_item: string | null;
    kind: BilledKind;
    unit: string;
    quantity: string;
    amount: string;
    has_original: boolean;
  }>`
    select l.billed_period, l.line_key, max(l.line_item) as line_item, coalesce(l.corrects_kind, l.kind) as kind,
      max(l.unit) as unit, sum(l.quantity) as quantity, sum(l.amount) as amount, bool_or(l.kind <> 'adjustment') as has_original
    from document_lines l join billing_documents d on d.id = l.document_id
    where l.contract_id = ${contractId} and d.status = 'finalized'
      and not exists (select 1 from document_voids v where v.document_id = d.id)
    group by l.billed_period, l.line_key, coalesce(l.corrects_kind, l.kind)
    order by l.billed_period, l.line_key`.execute(db);
  const issued = new Set<string>();
  const amounts = rows.rows.map((row): BilledAmount => {
    if (row.has_original) issued.add(row.billed_period);
    return {
      billedPeriod: row.billed_period,
      lineKey: row.line_key,
      lineItem: row.line_item,
      kind: row.kind,
      unit: row.unit,
      quantity: Number(row.quantity),
      amount: row.amount,
    };
  });
  return { amounts, issued };
}
