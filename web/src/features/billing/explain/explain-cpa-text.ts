/**
 * The explain's CPA words (SPEC §9): which level of the payout hierarchy paid a partner, which entry
 * of the events priced a line when it applies only under conditions, and how a tiered CPA line's
 * conversions were counted and priced level by level.
 */
import { type Explain, humanizeWord, isObject, type JsonValue, text } from './explain-json.ts';

type Format = (value: JsonValue | undefined) => string;

/**
 * Which level of the payout hierarchy paid a payout line (SPEC §9): the partner's own agreement,
 * the offer's payout for the partner's tier, or the offer's default.
 */
export function payoutLevelSentence(level: string): string {
  if (level === 'partner_contract') return "Paid by the partner's own agreement, which comes before the offer's payouts.";
  if (level === 'default')
    return "Paid by the offer's default payout: no agreement of the partner applies and its tier has no payout on the offer.";
  if (level.startsWith('tier:')) return `Paid by the offer's payout for partner tier ${level.slice('tier:'.length)}.`;
  return `Paid by: ${humanizeWord(level)}.`;
}

/** The entry of a CPA line's pricing, when it applies only under conditions (`when`, SPEC §9). */
export function cpaEntrySentences(pricing: Explain): string[] {
  const when = isObject(pricing.when) ? pricing.when : undefined;
  if (!when || typeof pricing.eventType !== 'string') return [];
  const conditions = [
    ...(Array.isArray(when.countries) ? [`from ${when.countries.map(String).join(', ')}`] : []),
    ...(typeof when.newCustomer === 'boolean' ? [when.newCustomer ? 'by new customers' : 'not by new customers'] : []),
  ];
  const entry = typeof pricing.entry === 'number' ? `Entry ${pricing.entry + 1} of the events` : 'An entry of the events';
  return [`${entry} prices these ${pricing.eventType} conversions: those ${conditions.join(' and ')}.`];
}

/**
 * A tiered CPA line's breakdown (explain.tierBreakdown, or one of a hybrid's tierBreakdowns): the
 * period's count that placed its conversions, then each level that priced some of them.
 */
function tierBreakdownSentences(breakdown: Explain, money: Format, count: Format): string[] {
  const mode = text(breakdown.mode);
  const reversed = typeof breakdown.reversedInCount === 'number' && breakdown.reversedInCount > 0 ? breakdown.reversedInCount : 0;
  const how =
    mode === 'volume'
      ? "all at the level the period's count reaches"
      : mode === 'graduated'
        ? 'each at the level its place in the count falls in'
        : `${humanizeWord(mode ?? '')} tiers`;
  const sentences = [
    `${count(breakdown.periodCount)} conversion(s) of this event type counted in the period${reversed > 0 ? ` (${count(reversed)} of them reversed, keeping their place in the count, not billed)` : ''}: ${how}.`,
  ];
  const levels = Array.isArray(breakdown.levels) ? breakdown.levels.filter(isObject) : [];
  for (const level of levels) {
    if (typeof level.conversions === 'number' && level.conversions === 0) continue;
    const range = level.upTo === null ? 'and up' : `to ${count(level.upTo)}`;
    sentences.push(
      `Level ${count(level.level)} (conversions ${count(level.fromConversion)} ${range}): ${count(level.conversions)} conversion(s) at ${money(level.rate)} = ${money(level.amount)}.`,
    );
  }
  return sentences;
}

/** A tiered CPA line's breakdown (`tierBreakdown`), and a hybrid's CPA side's, one per tiered entry, each naming its entry. */
export function cpaTierSentences(explain: Explain, money: Format, count: Format): string[] {
  const sentences = isObject(explain.tierBreakdown) ? tierBreakdownSentences(explain.tierBreakdown, money, count) : [];
  const cpaSide = isObject(explain.cpa) ? explain.cpa : undefined;
  for (const breakdown of Array.isArray(cpaSide?.tierBreakdowns) ? cpaSide.tierBreakdowns.filter(isObject) : []) {
    const prefix = typeof breakdown.entry === 'number' ? `CPA entry ${count(breakdown.entry + 1)}: ` : 'CPA: ';
    sentences.push(...tierBreakdownSentences(breakdown, money, count).map((sentence) => `${prefix}${sentence}`));
  }
  return sentences;
}
