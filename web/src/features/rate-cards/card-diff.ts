/**
 * What changed between two versions of a rate card: entries (by product and model) and premiums
 * (by dimension:value) added, removed or changed, and the effective date. Computed in the browser
 * from the two version reads the card page has already cached: a card holds at most 500 entries and
 * 200 premiums, and a keyed comparison reads better than a diff of JSON paths.
 * Figures are compared as decimals: "40" and "40.00" are the same rate.
 */
import { Decimal } from '../../../../src/wire/money.ts';
import { premiumKey, type RateCardEntry, type RateCardPremium } from '../../../../src/wire/rate-cards.ts';

export interface KeyedChange<Item> {
  key: string;
  change: 'added' | 'removed' | 'changed';
  from: Item | undefined;
  to: Item | undefined;
}

export interface CardDiff {
  effectiveFrom: { from: string; to: string } | undefined;
  entries: KeyedChange<RateCardEntry>[];
  premiums: KeyedChange<RateCardPremium>[];
}

interface CardContent {
  effectiveFrom: string;
  entries: readonly RateCardEntry[];
  premiums: readonly RateCardPremium[];
}

/** Two optional decimal strings are the same figure. */
function sameFigure(left: string | undefined, right: string | undefined): boolean {
  if (left === undefined || right === undefined) return left === right;
  return new Decimal(left).eq(right);
}

/** An entry's key: its product and model. */
export const entryKey = (entry: RateCardEntry) => `${entry.product}/${entry.model}`;

function keyedChanges<Item>(
  from: readonly Item[],
  to: readonly Item[],
  keyOf: (item: Item) => string,
  same: (left: Item, right: Item) => boolean,
): KeyedChange<Item>[] {
  const before = new Map(from.map((item) => [keyOf(item), item]));
  const after = new Map(to.map((item) => [keyOf(item), item]));
  const changes: KeyedChange<Item>[] = [];
  for (const [key, old] of before) {
    const now = after.get(key);
    if (now === undefined) changes.push({ key, change: 'removed', from: old, to: undefined });
    else if (!same(old, now)) changes.push({ key, change: 'changed', from: old, to: now });
  }
  for (const [key, now] of after) if (!before.has(key)) changes.push({ key, change: 'added', from: undefined, to: now });
  return changes;
}

/** The changes from version `from` to version `to`. */
export function diffCardVersions(from: CardContent, to: CardContent): CardDiff {
  return {
    effectiveFrom: from.effectiveFrom === to.effectiveFrom ? undefined : { from: from.effectiveFrom, to: to.effectiveFrom },
    entries: keyedChanges(
      from.entries,
      to.entries,
      entryKey,
      (left, right) => sameFigure(left.listRate, right.listRate) && sameFigure(left.floorRate, right.floorRate),
    ),
    premiums: keyedChanges(
      from.premiums,
      to.premiums,
      premiumKey,
      (left, right) => sameFigure(left.percent, right.percent) && sameFigure(left.amount, right.amount),
    ),
  };
}

/** True when nothing differs. */
export function isEmptyDiff(diff: CardDiff): boolean {
  return diff.effectiveFrom === undefined && diff.entries.length === 0 && diff.premiums.length === 0;
}
