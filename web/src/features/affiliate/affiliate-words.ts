/** The affiliate screens' words for the API's codes: why a touch was or was not credited, and the models. */
import type { AttributionModel } from '../../../../src/wire/pricing.ts';

/** Every reason docs/affiliate/attribution.md lists, in plain words; an unknown one shows as its code. */
const touchReasons: Record<string, string> = {
  last_click: 'the latest click in its window',
  first_click: 'the earliest click in its window',
  last_view: 'the latest view in its window (no click in its window)',
  first_view: 'the earliest view in its window (no click in its window)',
  last_touch: 'the latest touch in its window',
  outside_window: 'more than its window before the conversion',
  later_click_won: 'a later click won',
  earlier_click_won: 'an earlier click won',
  click_won: 'a click in its window won over this view',
  later_view_won: 'a later view won',
  earlier_view_won: 'an earlier view won',
  later_touch_won: 'a later touch won',
  same_instant_listed_earlier_won: 'a touch at the same instant, listed before it, won',
  no_partner: 'won, but names no partner to credit',
  received_before_attribution: 'received before attribution existed: its own touch',
};

/** Why a touch was credited or not, in words. */
export function describeTouchReason(reason: string): string {
  return touchReasons[reason] ?? reason;
}

export const attributionModelWords: Record<AttributionModel, string> = {
  last_click: 'last click',
  first_click: 'first click',
  last_touch: 'last touch',
};
