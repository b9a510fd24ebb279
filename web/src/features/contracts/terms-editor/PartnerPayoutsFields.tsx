/**
 * An offer's payouts to the partners credited with its conversions (SPEC §9, sell side): a default,
 * payouts by partner tier (a tier's name is the `tier` set on partners), and the hold and minimum
 * payout of these payouts. Each level's events are cpa event entries, edited as a cpa line item's
 * are. Shown when the terms have a line item that prices conversions, or already carry payouts.
 * docs/affiliate/payout-hierarchy.md has the rules: a partner's own agreement comes first.
 */
import { Field } from '../../../common/ui/Field.tsx';
import { CpaEventsFields } from './CpaEventsFields.tsx';
import { at, CheckboxAt, DecimalAt, ListFoot, RemoveItem, TextAt, WholeAt } from './fields.tsx';
import { emptyPayoutTier, type PartnerPayoutsForm, type PayoutTierForm, pricesConversions, type TermsForm } from './terms-form.ts';
import { useEditor } from './use-terms-editor.ts';

const shareOf = 'what the advertiser is billed for it';
const payoutsOf = (draft: TermsForm): PartnerPayoutsForm => draft.partnerPayouts;

export function PartnerPayoutsFields() {
  const editor = useEditor();
  const { form } = editor;
  const payouts = form.partnerPayouts;
  if (!payouts.enabled && !form.lineItems.some(pricesConversions)) return null;
  return (
    <fieldset className="partner-payouts">
      <legend>Partner payouts</legend>
      <p className="hint" style={{ marginTop: 0 }}>
        What this offer pays the partner credited with each conversion: the payout of the partner&apos;s tier, else the default. A
        partner&apos;s own agreement that applies to this offer comes first.
      </p>
      <div className="form-grid">
        <CheckboxAt
          path="partnerPayouts"
          label="Pay partners from this offer"
          value={payouts.enabled}
          set={(draft, value) => {
            payoutsOf(draft).enabled = value;
          }}
        />
        {payouts.enabled && (
          <>
            <WholeAt
              path="partnerPayouts.holdDays"
              label="Payout hold days"
              value={payouts.holdDays}
              placeholder="0"
              hint="A conversion is payable once it is this old and not reversed."
              set={(draft, value) => {
                payoutsOf(draft).holdDays = value;
              }}
            />
            <DecimalAt
              path="partnerPayouts.minimumPayout"
              label="Minimum payout"
              value={payouts.minimumPayout}
              placeholder="0"
              hint="Smaller balances carry forward."
              set={(draft, value) => {
                payoutsOf(draft).minimumPayout = value;
              }}
            />
            <TextAt
              path="partnerPayouts.currency"
              label="Payout currency (optional)"
              value={payouts.currency}
              placeholder={form.currency}
              hint="Always the offer's currency."
              set={(draft, value) => {
                payoutsOf(draft).currency = value.toUpperCase();
              }}
            />
          </>
        )}
      </div>
      {payouts.enabled && (
        <>
          <fieldset>
            <legend>Default payout</legend>
            <CheckboxAt
              path="partnerPayouts.default"
              label="Pay partners without a tier payout"
              value={payouts.hasDefault}
              set={(draft, value) => {
                payoutsOf(draft).hasDefault = value;
              }}
            />
            {payouts.hasDefault && (
              <CpaEventsFields
                path="partnerPayouts.default.events"
                events={payouts.defaultEvents}
                eventsOf={(draft) => payoutsOf(draft).defaultEvents}
                shareOf={shareOf}
              />
            )}
          </fieldset>
          {payouts.tiers.map((tier, index) => (
            <PayoutTierFields key={tier.id} tier={tier} index={index} />
          ))}
          <ListFoot
            path="partnerPayouts.tiers"
            noun="tier payout"
            add={(draft) => {
              payoutsOf(draft).tiers.push(emptyPayoutTier());
            }}
          />
        </>
      )}
    </fieldset>
  );
}

/** The terms path of a tier's payout: tiers are keyed by name (`partnerPayouts.tiers.gold`). */
const tierPath = (name: string) => `partnerPayouts.tiers.${name.trim()}`;

function PayoutTierFields({ tier, index }: { tier: PayoutTierForm; index: number }) {
  const editor = useEditor();
  const path = tierPath(tier.name);
  const tierOf = (draft: TermsForm) => at(payoutsOf(draft).tiers, index);
  return (
    <fieldset className="payout-tier">
      <legend>Tier payout{tier.name.trim() ? `: ${tier.name.trim()}` : ` ${index + 1}`}</legend>
      <div className="form-grid">
        <Field label="Partner tier" error={editor.errorAt(path)} hint="As set on the partners it pays, e.g. gold.">
          <input
            type="text"
            value={tier.name}
            placeholder="gold"
            data-path={path}
            onChange={(event) => {
              const next = event.target.value;
              // The name is the key of the tier's payout: its errors move to the new path, which is the one touched.
              editor.edit(path, () => undefined);
              editor.edit(tierPath(next), (draft) => {
                tierOf(draft).name = next;
              });
            }}
          />
        </Field>
        <div className="field">
          <span className="label">&nbsp;</span>
          <RemoveItem path="partnerPayouts.tiers" listOf={(draft) => payoutsOf(draft).tiers} index={index}>
            Remove tier payout
          </RemoveItem>
        </div>
      </div>
      <CpaEventsFields path={`${path}.events`} events={tier.events} eventsOf={(draft) => tierOf(draft).events} shareOf={shareOf} />
    </fieldset>
  );
}
