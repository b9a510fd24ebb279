/**
 * Attribution (SPEC §9): which of a conversion's touches is credited, by the contract's model. A
 * pure function of the touches, the conversion's instant, the windows and the model: it reads and
 * stores nothing, so the property tests call it directly (test/unit/attribution-properties.test.ts).
 *
 * A touch is in its window when it is at most its type's window (view or click days) before the
 * conversion and not after it: the rating module's touchIsInWindow, the rule rating screens a
 * conversion's touch by (src/modules/rating/cpa.ts), so the two cannot drift. Among the touches in
 * their windows:
 * - `last_click`: the latest click; when there is none, the latest view;
 * - `first_click`: the earliest click; when there is none, the earliest view;
 * - `last_touch`: the latest touch of either type.
 * Two candidates at the same instant are told apart by the order they were sent in: the one listed
 * first wins, so that the answer never depends on anything but the input.
 *
 * The touch that wins is the conversion's touch; its partner is credited (a touch without a partner,
 * which only the single `touch` form may send, credits nobody). When no touch is in its window,
 * nobody is credited and the conversion keeps the touch the model would pick without windows, so
 * that rating screens it as outside the window rather than losing it.
 */
import type { AttributionModel } from '../../wire/pricing.ts';
import { type AttributionWindows, touchIsInWindow } from '../rating/index.ts';

export type { AttributionWindows };

export type TouchType = 'view' | 'click';

/** A touch as attribution sees it: the partner (null for a single touch sent without one), type and instant. */
export interface AttributionTouch {
  partnerId: string | null;
  type: TouchType;
  at: string;
  clickId?: string | undefined;
}

/** Why a touch won (the model's rule that picked it). */
export type WinningReason = 'last_click' | 'last_view' | 'first_click' | 'first_view' | 'last_touch';

/** Why a touch was not credited. */
export type LosingReason =
  | 'outside_window'
  | 'later_click_won'
  | 'earlier_click_won'
  | 'click_won'
  | 'later_view_won'
  | 'earlier_view_won'
  | 'later_touch_won'
  | 'same_instant_listed_earlier_won'
  | 'no_partner';

export type TouchReason = WinningReason | LosingReason;

export const touchReasons: readonly TouchReason[] = [
  'last_click',
  'last_view',
  'first_click',
  'first_view',
  'last_touch',
  'outside_window',
  'later_click_won',
  'earlier_click_won',
  'click_won',
  'later_view_won',
  'earlier_view_won',
  'later_touch_won',
  'same_instant_listed_earlier_won',
  'no_partner',
];

export interface AttributedTouch extends AttributionTouch {
  credited: boolean;
  reason: TouchReason;
}

export interface Attribution {
  model: AttributionModel;
  /** Every touch in the order given, with whether it was credited and why (not). */
  touches: AttributedTouch[];
  /** The index of the touch the conversion is attributed to: the winner in its window, else the model's pick without windows. */
  touchIndex: number;
  /** The index of the credited touch; null when no touch is in its window or the winner has no partner. */
  creditedIndex: number | null;
}

interface Candidate {
  index: number;
  type: TouchType;
  instant: number;
}

/** Whether the model prefers the latest candidate (last_click, last_touch) or the earliest (first_click). */
function prefersLatest(model: AttributionModel): boolean {
  return model !== 'first_click';
}

/** Whether the model prefers clicks to views (last_click, first_click) or takes both alike (last_touch). */
function prefersClicks(model: AttributionModel): boolean {
  return model !== 'last_touch';
}

/** Whether `a` beats `b` under the model: type (clicks first, where the model says so), then time, then the order sent. */
function beats(model: AttributionModel, a: Candidate, b: Candidate): boolean {
  if (prefersClicks(model) && a.type !== b.type) return a.type === 'click';
  if (a.instant !== b.instant) return prefersLatest(model) ? a.instant > b.instant : a.instant < b.instant;
  return a.index < b.index;
}

/** The candidate that beats every other, or undefined for none. */
function pick(model: AttributionModel, candidates: readonly Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  for (const candidate of candidates) if (best === undefined || beats(model, candidate, best)) best = candidate;
  return best;
}

function winningReason(model: AttributionModel, type: TouchType): WinningReason {
  if (model === 'last_touch') return 'last_touch';
  if (model === 'last_click') return type === 'click' ? 'last_click' : 'last_view';
  return type === 'click' ? 'first_click' : 'first_view';
}

/** Why an in-window touch lost to the winner. */
function losingReason(model: AttributionModel, loser: Candidate, winner: Candidate): LosingReason {
  if (prefersClicks(model) && loser.type !== winner.type) return 'click_won';
  if (loser.instant === winner.instant) return 'same_instant_listed_earlier_won';
  if (model === 'last_touch') return 'later_touch_won';
  if (model === 'last_click') return winner.type === 'click' ? 'later_click_won' : 'later_view_won';
  return winner.type === 'click' ? 'earlier_click_won' : 'earlier_view_won';
}

/**
 * Attributes a conversion at `occurredAt` to one of its touches (at least one) under the model and
 * windows: every touch comes back with `credited` and its reason; at most one is credited.
 */
export function attribute(
  model: AttributionModel,
  windows: AttributionWindows | null,
  occurredAt: string,
  touches: readonly AttributionTouch[],
): Attribution {
  if (touches.length === 0) throw new RangeError('a conversion has at least one touch');
  const all: Candidate[] = touches.map((touch, index) => ({ index, type: touch.type, instant: Date.parse(touch.at) }));
  const inWindow = all.filter((candidate) => touchIsInWindow(touches[candidate.index]!, occurredAt, windows));
  const winner = pick(model, inWindow);
  if (winner === undefined) {
    return {
      model,
      touches: touches.map((touch) => ({ ...touch, credited: false, reason: 'outside_window' })),
      touchIndex: (pick(model, all) as Candidate).index,
      creditedIndex: null,
    };
  }
  const winnerHasPartner = touches[winner.index]!.partnerId !== null;
  const inWindowIndexes = new Set(inWindow.map((candidate) => candidate.index));
  const attributed = touches.map((touch, index): AttributedTouch => {
    if (index === winner.index) {
      return winnerHasPartner
        ? { ...touch, credited: true, reason: winningReason(model, touch.type) }
        : { ...touch, credited: false, reason: 'no_partner' };
    }
    if (!inWindowIndexes.has(index)) return { ...touch, credited: false, reason: 'outside_window' };
    return { ...touch, credited: false, reason: losingReason(model, all[index]!, winner) };
  });
  return { model, touches: attributed, touchIndex: winner.index, creditedIndex: winnerHasPartner ? winner.index : null };
}
