/**
 * What documents already bill, per contract and billed period: the base for caps (what was billed
 * before), for adjustments (what was billed for a period that is now rated differently), and for
 * knowing which periods were issued. Void documents bill nothing; the drafts a run is about to
 * replace are left out.
 *
 * A history belongs to a contract, or to an offer's payouts to one partner (SPEC §9): those lines
 * name the offer as their contract and sit on the partner's payout statements, with line keys
 * `<line item>@<level>` (OFFER_PAYOUT_KEY_MARK), so they are kept apart from the offer's own
 * invoice lines, under offerPayoutHistoryKey(offer, partner).
 */
import { sql } from 'kysely';
import type { Executor } from '../../../platform/database.ts';
import type { BilledAmount, BilledKind } from '../../rating/index.ts';
import { OFFER_PAYOUT_KEY_MARK } from '../../charges/index.ts';

/** The history key of an offer's payouts to one partner (a contract's own history is keyed by its id). */
export function offerPayoutHistoryKey(offerId: string, partnerId: string): string {
  return `${offerId}${OFFER_PAYOUT_KEY_MARK}${partnerId}`;
}

/** The offer and partner of an offer payout history key; undefined for a contract's own key. */
export function parseOfferPayoutHistoryKey(key: string): { offerId: string; partnerId: string } | undefined {
  const mark = key.indexOf(OFFER_PAYOUT_KEY_MARK);
  return mark === -1 ? undefined : { offerId: key.slice(0, mark), partnerId: key.slice(mark + 1) };
}

/** Whether a line is an offer's payout to a partner: its key holds the mark, which no contract line key can. */
const mark = sql.lit(OFFER_PAYOUT_KEY_MARK);
const isOfferPayoutLine = sql`position(${mark} in l.line_key) > 0`;
/** Whose history a line belongs to: its contract's, or for an offer payout the (offer, partner) pair's. */
const historyKeySql = sql<string>`case when ${isOfferPayoutLine} then l.contract_id || ${mark} || d.party_id else l.contract_id end`;

/** A finalized document that billed a contract's period (its original lines, not an adjustment). */
export interface IssuedPeriod {
  billedPeriod: string;
  documentId: string;
  number: string;
}

export interface ContractHistory {
  amounts: BilledAmount[];
  /** Periods billed by a finalized, non-void document. */
  issued: Map<string, IssuedPeriod>;
  /** Periods billed by any live document, draft or finalized (catch-up skips them). */
  billedPeriods: Set<string>;
  /**
   * Since when each billed period may have changed: the creation of the first live document that
   * bills it (its original). Not the latest document's: when a draft that adjusted the period is
   * replaced, or a document voided, the live documents no longer sum to any one rating, and only
   * changes since the original bring the period back to be rated again.
   */
  lastRatedAt: Map<string, string>;
}

const emptyHistory = (): ContractHistory => ({ amounts: [], issued: new Map(), billedPeriods: new Set(), lastRatedAt: new Map() });

/**
 * Which documents' lines count as billed: a run's view (every live document but the drafts of the
 * month it replaces) or the issued ones alone (what the impact of a version compares with). Void
 * documents bill nothing either way.
 */
export type BilledDocuments = { replacedPeriod: string } | 'finalized';

function countedSql(documents: BilledDocuments, partyIds?: readonly string[]) {
  const notVoid = sql`not exists (select 1 from document_voids v where v.document_id = d.id)`;
  // A partition's parties: their documents are found by the party index, not among every document.
  const ofParties = partyIds === undefined ? sql`` : sql`and d.party_id = any(${[...partyIds]}::text[])`;
  return documents === 'finalized'
    ? sql`d.status = 'finalized' and ${notVoid} ${ofParties}`
    : sql`${notVoid} and not (d.period_label = ${documents.replacedPeriod} and d.status <> 'finalized') ${ofParties}`;
}

/**
 * One contract's billed amount of a line key and kind in a billed period, and whether an original
 * (not an adjustment) line is among them. `contractId` is the history's key: the contract's id, or
 * offerPayoutHistoryKey for an offer's payouts to a partner.
 */
export interface ContractBilledAmount extends BilledAmount {
  contractId: string;
  hasOriginal: boolean;
}

/**
 * What the documents bill, summed per history, billed period, line key and kind: every history's,
 * or one contract's own (without the offer payouts that name it), or those on the documents of the
 * parties named (a partition's: its contracts' invoices, its partners' statements).
 */
export async function loadBilledAmounts(
  db: Executor,
  documents: BilledDocuments,
  contractId?: string,
  partyIds?: readonly string[],
): Promise<ContractBilledAmount[]> {
  const rows = await sql<{
    contract_id: string;
    billed_period: string;
    line_key: string;
    line_item: string | null;
    kind: BilledKind;
    unit: string;
    quantity: string;
    amount: string;
    has_original: boolean;
  }>`
    select ${historyKeySql} as contract_id, l.billed_period, l.line_key, max(l.line_item) as line_item, coalesce(l.corrects_kind, l.kind) as kind,
      max(l.unit) as unit, sum(l.quantity) as quantity, sum(l.amount) as amount, bool_or(l.kind <> 'adjustment') as has_original
    from document_lines l join billing_documents d on d.id = l.document_id
    where ${countedSql(documents, partyIds)} ${contractId === undefined ? sql`` : sql`and l.contract_id = ${contractId} and not ${isOfferPayoutLine}`}
    group by 1, l.billed_period, l.line_key, coalesce(l.corrects_kind, l.kind)`.execute(db);
  return rows.rows.map((row) => ({
    contractId: row.contract_id,
    billedPeriod: row.billed_period,
    lineKey: row.line_key,
    lineItem: row.line_item,
    kind: row.kind,
    unit: row.unit,
    quantity: Number(row.quantity),
    amount: row.amount,
    hasOriginal: row.has_original,
  }));
}

/**
 * The billing history of every contract (and offer payout to a partner) that has one, leaving out
 * the drafts of `replacedPeriod`; of the parties named only (a partition of a run: a history sits on
 * its contract's party's invoices or its partner's statements), when named.
 */
export async function loadBillingHistory(
  db: Executor,
  replacedPeriod: string,
  partyIds?: readonly string[],
): Promise<Map<string, ContractHistory>> {
  if (partyIds?.length === 0) return new Map();
  const [amounts, periods] = await Promise.all([
    loadBilledAmounts(db, { replacedPeriod }, undefined, partyIds),
    sql<{
      contract_id: string;
      billed_period: string;
      document_id: string;
      number: string | null;
      status: string;
      has_original: boolean;
      created_at: string;
    }>`
      select ${historyKeySql} as contract_id, l.billed_period, d.id as document_id, d.number, d.status, bool_or(l.kind <> 'adjustment') as has_original, d.created_at
      from document_lines l join billing_documents d on d.id = l.document_id
      where ${countedSql({ replacedPeriod }, partyIds)}
      group by 1, l.billed_period, d.id, d.number, d.status, d.created_at
      order by d.created_at`.execute(db),
  ]);
  const histories = new Map<string, ContractHistory>();
  const historyOf = (contractId: string) => {
    let history = histories.get(contractId);
    if (!history) histories.set(contractId, (history = emptyHistory()));
    return history;
  };
  for (const { contractId, hasOriginal: _hasOriginal, ...amount } of amounts) historyOf(contractId).amounts.push(amount);
  for (const row of periods.rows) {
    const history = historyOf(row.contract_id);
    history.billedPeriods.add(row.billed_period);
    if (!history.lastRatedAt.has(row.billed_period)) history.lastRatedAt.set(row.billed_period, row.created_at);
    if (row.status === 'finalized' && row.has_original && row.number !== null && !history.issued.has(row.billed_period)) {
      history.issued.set(row.billed_period, { billedPeriod: row.billed_period, documentId: row.document_id, number: row.number });
    }
  }
  return histories;
}
