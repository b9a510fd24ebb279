/**
 * Attribution at intake: each new conversion's touches (its `touch`, its click, or its `touches`)
 * are attributed by the CPA pricing of its line item in the contract's approved version in force on
 * the conversion's UTC date (SPEC §3 effective dating). Without one (a line item that the version in
 * force does not price per conversion) the default model applies, without windows.
 */
import type { ApprovedVersion } from '../contracts/index.ts';
import { utcDateOf } from '../../platform/instants.ts';
import { type AttributionModel, attributionModelOf, cpaPricingOf } from '../../wire/pricing.ts';
import { type Attribution, type AttributionTouch, type AttributionWindows, attribute } from './attribution.ts';
import type { ClickReference } from './clicks.repository.ts';
import type { ConversionRecord } from './delivery.ts';

/** The first status a conversion is stored with, and the reason its first status event gives. */
export type IntakeStatus = 'pending' | 'approved';

/** A new conversion as it is stored: the record as received, its content hash, its attribution and first status. */
export interface AttributedConversion {
  record: ConversionRecord;
  contentHash: string;
  attribution: Attribution;
  /** The approved version whose pricing decided the model and windows; null when none did. */
  attributionVersion: number | null;
  /** The credited partner (null for none), and the touch the conversion is attributed to: what rating and payouts read. */
  partnerId: string | null;
  touch: { type: 'view' | 'click'; at: string };
  status: IntakeStatus;
  statusReason: string;
}

/** The rules a conversion is attributed by: the model, the windows and the version that set them. */
export interface AttributionRules {
  model: AttributionModel;
  windows: AttributionWindows | null;
  version: number | null;
}

const defaultRules: AttributionRules = { model: 'last_click', windows: null, version: null };

/** The approved version in force on a date: the latest effectiveFrom on or before it (on a tie, the higher number). */
function versionInForce(versions: readonly ApprovedVersion[], date: string): ApprovedVersion | undefined {
  let inForce: ApprovedVersion | undefined;
  for (const version of versions) {
    if (version.effectiveFrom > date) continue;
    if (
      inForce === undefined ||
      version.effectiveFrom > inForce.effectiveFrom ||
      (version.effectiveFrom === inForce.effectiveFrom && version.number > inForce.number)
    )
      inForce = version;
  }
  return inForce;
}

/** The attribution rules of a line item on a date, from the contract's approved versions. */
export function attributionRulesOn(versions: readonly ApprovedVersion[], lineItemKey: string, date: string): AttributionRules {
  const version = versionInForce(versions, date);
  const pricing = version?.terms.lineItems.find((lineItem) => lineItem.key === lineItemKey)?.pricing;
  const cpa = pricing && cpaPricingOf(pricing);
  if (version === undefined || cpa === undefined) return defaultRules;
  const { viewWindowDays, clickWindowDays } = cpa.attribution;
  return { model: attributionModelOf(cpa.attribution), windows: { viewWindowDays, clickWindowDays }, version: version.number };
}

/** A conversion's touches as attribution takes them, in the order sent; the clicks named were checked to exist. */
export function touchesOf(record: ConversionRecord, clicks: ReadonlyMap<string, ClickReference>): AttributionTouch[] {
  if (record.touches !== undefined) return record.touches.map((touch) => ({ ...touch }));
  if (record.clickId !== undefined) {
    const click = clicks.get(record.clickId);
    if (click === undefined) throw new RangeError(`click ${record.clickId} was not loaded`);
    return [{ partnerId: click.partnerId, type: 'click', at: click.at, clickId: click.id }];
  }
  if (record.touch === undefined) throw new RangeError(`conversion ${record.id} has no touch`);
  return [{ partnerId: record.partnerId ?? null, type: record.touch.type, at: record.touch.at }];
}

/**
 * Attributes new conversions (checked, and in the batch's order). Reads nothing: each contract's
 * approved versions come from `versionsOf`, the delivery targets the batch was checked against.
 */
export function attributeConversions(
  records: readonly ConversionRecord[],
  hashes: readonly string[],
  clicks: ReadonlyMap<string, ClickReference>,
  versionsOf: (contractId: string) => readonly ApprovedVersion[],
): AttributedConversion[] {
  return records.map((record, index) => {
    const rules = attributionRulesOn(versionsOf(record.contractId), record.lineItem, utcDateOf(record.occurredAt));
    const attribution = attribute(rules.model, rules.windows, record.occurredAt, touchesOf(record, clicks));
    const touch = attribution.touches[attribution.touchIndex]!;
    return {
      record,
      contentHash: hashes[index] as string,
      attribution,
      attributionVersion: rules.version,
      partnerId: attribution.creditedIndex === null ? null : touch.partnerId,
      touch: { type: touch.type, at: touch.at },
      status: record.status ?? 'pending',
      statusReason: 'received',
    };
  });
}
