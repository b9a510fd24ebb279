/** Groups contract plans into draft documents: one per party and currency (SPEC §5). Pure. */
import { Decimal, formatMoney, sumMoney } from '../../../wire/money.ts';
import { contractPaymentTermsDays } from '../../../wire/terms-defaults.ts';
import type { RatingFlag } from '../../rating/index.ts';
import type { ContractPlan } from './plan-invoices.ts';
import type { DraftDocument } from '../documents/index.ts';
import type { DocumentKind } from '../../../wire/billing.ts';

export type { DraftDocument };

/**
 * One draft per (party, currency). Lines keep the order of their contracts' numbers and, within a
 * contract, the rating's order, so that re-running a period gives the same document. A draft with a
 * flagged line, or unrated delivery, needs review before it can be finalized.
 */
export function groupDocuments(
  kind: DocumentKind,
  month: string,
  plans: ContractPlan[],
  contractNumbers: Map<string, string>,
  partyPaymentTermsDays: Map<string, number>,
): DraftDocument[] {
  const groups = new Map<string, ContractPlan[]>();
  for (const plan of plans) {
    const key = `${plan.partyId}|${plan.currency}`;
    // Pushed, not copied: an agency with thousands of contracts would otherwise copy its list once per contract.
    const group = groups.get(key);
    if (group) group.push(plan);
    else groups.set(key, [plan]);
  }
  const documents: DraftDocument[] = [];
  for (const [key, group] of [...groups].sort(([left], [right]) => (left < right ? -1 : 1))) {
    const [partyId, currency] = key.split('|') as [string, string];
    group.sort((left, right) => ((contractNumbers.get(left.contractId) ?? '') < (contractNumbers.get(right.contractId) ?? '') ? -1 : 1));
    const lines = group.flatMap((plan) => plan.lines).map((line, index) => ({ ...line, position: index + 1 }));
    const flags = new Set<RatingFlag>();
    for (const plan of group) for (const flag of plan.flags) flags.add(flag);
    for (const line of lines) for (const flag of line.flags) flags.add(flag);
    const partyTerms = partyPaymentTermsDays.get(partyId) ?? 30;
    documents.push({
      kind,
      partyId,
      currency,
      period: {
        label: month,
        from: group.reduce(
          (earliest, plan) => (plan.period.from < earliest ? plan.period.from : earliest),
          (group[0] as ContractPlan).period.from,
        ),
        to: group.reduce((latest, plan) => (plan.period.to > latest ? plan.period.to : latest), (group[0] as ContractPlan).period.to),
      },
      lines,
      subtotal: formatMoney(sumMoney(lines.map((line) => new Decimal(line.amount))), currency),
      flags: [...flags].sort(),
      // Contracts of one party may name different terms: the document is due by the shortest.
      paymentTermsDays: Math.min(...group.map((plan) => contractPaymentTermsDays(plan.terms, partyTerms))),
    });
  }
  return documents;
}
