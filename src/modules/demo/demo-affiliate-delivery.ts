/**
 * The affiliate offer's traffic in the demo book (SPEC §9): three partners' clicks, the purchases
 * that followed them (most naming their click, some with several partners' touches), and the last
 * days' purchases reported through the offer's signed postback. Pure and generated from a fixed
 * seed, like the rest of the demo's delivery: every demo is the same.
 */
import { addDays } from '../../platform/dates.ts';
import type { ClickRecord, ConversionRecord } from '../delivery/index.ts';
import type { PostbackContent } from '../postbacks/index.ts';
import { type DemoDates, offerLineItem } from './demo-book.ts';
import { demoDeliveryDays, seeded } from './demo-delivery.ts';

/** The offer's three partners, one per level of the payout hierarchy. */
export interface OfferPartners {
  /** No tier, no agreement: paid by the offer's default. */
  standard: string;
  /** Tier gold: paid by the offer's gold payout. */
  gold: string;
  /** Its own agreement on the offer: paid by it. */
  agreement: string;
}

export interface AffiliateTraffic {
  clicks: ClickRecord[];
  /** Sent by the advertiser through the JSON API (POST /v1/conversions). */
  conversions: ConversionRecord[];
  /** Reported by the advertiser's store through the offer's postback source. */
  postbacks: PostbackContent[];
}

/** The last this many days' purchases arrive by postback; the earlier ones came through the JSON API. */
const postbackDays = 4;
/** Seconds in an hour, for instants built from a day and an offset. */
const hourSeconds = 3600;

/** Clicks per day and purchases per day by partner: the gold partner passes 40 purchases in every month. */
const volumes = {
  standard: { clicks: [5, 8], purchases: [1, 2] },
  gold: { clicks: [7, 10], purchases: [2, 3] },
  agreement: { clicks: [3, 5], purchases: [1, 2] },
} as const;

/** `seconds` after midnight UTC of `date`, as an RFC 3339 instant without milliseconds. */
function instantOf(date: string, seconds: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Plans the offer's traffic from the first of last month to yesterday, with what the demo's scrub
 * rules catch: conversions a few seconds after their click (a bot replaying a link), rejected, and
 * unusually large orders, held for review.
 */
export function planAffiliateTraffic(d: DemoDates, offerId: string, partners: OfferPartners): AffiliateTraffic {
  const random = seeded(20261115);
  const between = (range: readonly [number, number]) => range[0] + Math.floor(random() * (range[1] - range[0] + 1));
  const traffic: AffiliateTraffic = { clicks: [], conversions: [], postbacks: [] };
  const postbackFrom = addDays(d.today, -postbackDays);
  let orderNumber = 100_000;
  const nextOrder = () => `VH-${++orderNumber}`;

  const days = demoDeliveryDays(d);
  for (const [dayIndex, date] of days.entries()) {
    let clickNumber = 0;
    const click = (partnerId: string, seconds: number): ClickRecord => {
      const record: ClickRecord = {
        id: `vh-clk-${date.replaceAll('-', '')}-${String(++clickNumber).padStart(3, '0')}`,
        contractId: offerId,
        lineItem: offerLineItem,
        partnerId,
        at: instantOf(date, seconds),
        attributes: { country: random() < 0.85 ? 'US' : 'CA' },
      };
      traffic.clicks.push(record);
      return record;
    };
    /** A purchase that names its click: by postback in the last days, else through the JSON API. */
    const purchaseAfter = (from: ClickRecord, delaySeconds: number, value: string) => {
      const occurredAt = new Date(Date.parse(from.at) + delaySeconds * 1000);
      const id = nextOrder();
      if (date >= postbackFrom) {
        traffic.postbacks.push({
          txid: id,
          clickId: from.id,
          event: 'purchase',
          amount: value,
          timestampSeconds: Math.floor(occurredAt.getTime() / 1000),
        });
        return;
      }
      traffic.conversions.push({
        id,
        contractId: offerId,
        lineItem: offerLineItem,
        eventType: 'purchase',
        occurredAt: occurredAt.toISOString().replace('.000Z', 'Z'),
        clickId: from.id,
        value,
        attributes: { country: from.attributes?.country ?? 'US', newCustomer: random() < 0.4 },
        status: 'approved',
      });
    };
    const orderValue = () => (25 + Math.floor(random() * 220)).toFixed(2);

    for (const key of ['standard', 'gold', 'agreement'] as const) {
      const partnerId = partners[key];
      const clicks = Array.from({ length: between(volumes[key].clicks) }, () =>
        // Clicks from 08:00 to 17:59 UTC; a purchase follows within five hours, the same day.
        click(partnerId, 8 * hourSeconds + Math.floor(random() * 10 * hourSeconds)),
      );
      const purchases = Math.min(clicks.length, between(volumes[key].purchases));
      for (const from of clicks.slice(0, purchases)) purchaseAfter(from, 600 + Math.floor(random() * 4.5 * hourSeconds), orderValue());
    }

    // Every third day, a purchase that three partners touched: a view, an earlier click and the
    // last click, which wins under last_click; who wins goes round the three partners.
    if (dayIndex % 3 === 1) {
      const turn = [partners.standard, partners.gold, partners.agreement];
      const round = Math.floor(dayIndex / 3) % 3;
      const [winner, clicked, viewed] = [turn[round], turn[(round + 1) % 3], turn[(round + 2) % 3]] as [string, string, string];
      const occurredSeconds = 15 * hourSeconds + Math.floor(random() * 4 * hourSeconds);
      const earlierClick = click(clicked, occurredSeconds - 5 * hourSeconds);
      const lastClick = click(winner, occurredSeconds - 50 * 60);
      const touches: NonNullable<ConversionRecord['touches']> = [
        { partnerId: viewed, type: 'view', at: instantOf(date, occurredSeconds - 8 * hourSeconds) },
        { partnerId: clicked, type: 'click', at: earlierClick.at, clickId: earlierClick.id },
        { partnerId: winner, type: 'click', at: lastClick.at, clickId: lastClick.id },
      ];
      // The first one also lists a click from six weeks before: outside the offer's 30-day click window.
      if (dayIndex === 1) touches.unshift({ partnerId: viewed, type: 'click', at: instantOf(addDays(date, -42), 11 * hourSeconds) });
      traffic.conversions.push({
        id: nextOrder(),
        contractId: offerId,
        lineItem: offerLineItem,
        eventType: 'purchase',
        occurredAt: instantOf(date, occurredSeconds),
        touches,
        value: orderValue(),
        attributes: { country: 'US', newCustomer: true },
        status: 'approved',
      });
    }

    // Every fourth day, one of the standard partner's clicks "converts" 6 to 15 seconds later.
    if (dayIndex % 4 === 2) purchaseAfter(click(partners.standard, 12 * hourSeconds), 6 + Math.floor(random() * 10), orderValue());
    // Twice, a gold partner's customer orders far more than usual: held until someone looks at it.
    if (dayIndex === 5 || dayIndex === days.length - 3) purchaseAfter(click(partners.gold, 10 * hourSeconds), 2 * hourSeconds, '780.00');
  }
  return traffic;
}
