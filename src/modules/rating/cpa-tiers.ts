/**
 * Tiered CPA entries (SPEC §9): an event entry priced by `tiers` counts, per billing period, the
 * billed conversions of its event type, in cap order (occurredAt, ties by id), after screening and
 * within the conversion caps. "graduated" prices each conversion by the level its ordinal falls in;
 * "volume" prices every conversion by the level the period's count falls in. A strategy: the caller
 * gives the counted conversions in order; nothing is stored. docs/affiliate/tiered-cpa.md has the
 * decisions (what counts, and what a reversal does to the count).
 */
import type { CpaEvent } from '../../wire/pricing.ts';
import { Decimal, parseMoney } from '../../wire/money.ts';
import type { Explain } from '../../wire/charges.ts';

export type CpaTiers = NonNullable<CpaEvent['tiers']>;

/** A conversion's place in its period's count. */
export interface TierSlot {
  eventType: string;
  /** The tiers of the entry that bills it; absent when it is counted but not priced by tiers (a flat entry, or reversed). */
  tiers?: CpaTiers;
  /** A reversed conversion: it keeps its place in the count and is not billed. */
  reversed: boolean;
}

/** Which level priced a conversion, and where it stood in its period's count. */
export interface TierPrice {
  exact: Decimal;
  /** 1-based, as the levels read in the terms. */
  level: number;
  /** 1-based ordinal among the counted conversions of its event type in the period. */
  ordinal: number;
  /** The counted conversions of its event type in the period (volume picks its level by this). */
  periodCount: number;
  /** How many of periodCount are reversed conversions that kept their place. */
  reversedInCount: number;
}

/** The index of the level whose range holds `count` (levels ascend and only the last is open; see checkLevelBounds). */
export function levelIndexFor(levels: CpaTiers['levels'], count: number): number {
  const index = levels.findIndex((level) => level.upTo === null || count <= level.upTo);
  // The schema makes the last level open, so every count has one; the last level is the safe answer anyway.
  return index === -1 ? levels.length - 1 : index;
}

/**
 * Prices counted conversions by their entries' tiers. `slots` are in cap order and hold every
 * billed conversion of the line item in the period (all entries, tiered or not) and the reversed
 * ones that keep their place; each event type is counted on its own. Answers, for each slot, its
 * price when its entry is tiered and it is billed, else undefined.
 */
export function priceTiers(slots: readonly TierSlot[]): (TierPrice | undefined)[] {
  const counts = new Map<string, { count: number; reversed: number }>();
  const ordinals = slots.map((slot) => {
    const count = counts.get(slot.eventType) ?? { count: 0, reversed: 0 };
    count.count += 1;
    if (slot.reversed) count.reversed += 1;
    counts.set(slot.eventType, count);
    return count.count;
  });
  // Each level's amount parsed once: a period may price a hundred thousand conversions at a handful of levels.
  const amounts = new Map<string, Decimal>();
  return slots.map((slot, index) => {
    if (slot.tiers === undefined || slot.reversed) return undefined;
    const ordinal = ordinals[index]!;
    const { count: periodCount, reversed: reversedInCount } = counts.get(slot.eventType)!;
    const levelIndex = levelIndexFor(slot.tiers.levels, slot.tiers.mode === 'graduated' ? ordinal : periodCount);
    const amount = slot.tiers.levels[levelIndex]!.amount;
    let exact = amounts.get(amount);
    if (exact === undefined) {
      exact = parseMoney(amount);
      amounts.set(amount, exact);
    }
    return { exact, level: levelIndex + 1, ordinal, periodCount, reversedInCount };
  });
}

/**
 * A line's tier breakdown: for each level of the entry, the conversions of the line it priced and
 * their amount (before budget caps), with the period's count that placed them.
 */
export function explainTierBreakdown(tiers: CpaTiers, prices: readonly TierPrice[]): Explain {
  const perLevel = tiers.levels.map(() => ({ conversions: 0, amount: new Decimal(0) }));
  for (const price of prices) {
    const level = perLevel[price.level - 1]!;
    level.conversions += 1;
    level.amount = level.amount.plus(price.exact);
  }
  let after = 0;
  return {
    mode: tiers.mode,
    periodCount: prices[0]?.periodCount ?? 0,
    reversedInCount: prices[0]?.reversedInCount ?? 0,
    levels: tiers.levels.map((level, index) => {
      const fromConversion = after + 1;
      after = level.upTo ?? after;
      return {
        level: index + 1,
        fromConversion,
        upTo: level.upTo,
        rate: level.amount,
        conversions: perLevel[index]!.conversions,
        amount: perLevel[index]!.amount.toFixed(),
      };
    }),
  };
}
