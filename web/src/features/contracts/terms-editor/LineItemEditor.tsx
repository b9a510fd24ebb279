/** One line item: its key, name, dates, caps, and its pricing in any of the seven models, or from a rate card. */
import { cardModels } from '../../../../../src/wire/rate-cards.ts';
import { CardPricingFields } from './CardPricingFields.tsx';
import { CpaFields } from './CpaFields.tsx';
import { CheckboxAt, DateAt, DecimalAt, lineItemOf, RemoveItem, SelectAt, TextAt, WholeAt } from './fields.tsx';
import { MetricFields } from './MetricFields.tsx';
import { billsImpressions, type LineItemForm, type PricingModel } from './terms-form.ts';

/**
 * The pricing models of SPEC §3 and the CTV models of §8 as the editor offers them (cpcv and cpc
 * take tiers with the same "Tiered rates" box as cpm), and a flat rate from a rate card (§8).
 */
type PricingChoice = 'cpm' | 'cpm_tiered' | 'cpcv' | 'cpc' | 'cpa' | 'hybrid' | 'flat' | 'card';
const pricingChoices: { value: PricingChoice; label: string }[] = [
  { value: 'cpm', label: 'CPM, one rate' },
  { value: 'cpm_tiered', label: 'CPM, tiered rates' },
  { value: 'cpcv', label: 'CPCV (per completed view)' },
  { value: 'cpc', label: 'CPC (per click)' },
  { value: 'cpa', label: 'CPA (per conversion)' },
  { value: 'hybrid', label: 'Hybrid (CPM and CPA)' },
  { value: 'flat', label: 'Flat fee per period' },
  // Every role that may write terms (contracts.write) may read rate cards (rates.read).
  { value: 'card', label: 'Price from a rate card (CPM, CPCV or CPC)' },
];

function choiceOf(lineItem: LineItemForm): PricingChoice {
  if (lineItem.pricing.model === 'cpm') return lineItem.pricing.cpm.tiered ? 'cpm_tiered' : 'cpm';
  return lineItem.pricing.model;
}

export function LineItemEditor({ index, lineItem, canRemove }: { index: number; lineItem: LineItemForm; canRemove: boolean }) {
  const path = `lineItems[${index}]`;
  const pricingPath = `${path}.pricing`;
  const pricing = lineItem.pricing;
  /** A literal cpm, cpcv or cpc pricing's model: the one whose rate fields show. */
  const metricModel = cardModels.find((model) => model === pricing.model);
  return (
    <fieldset className="line-item">
      <legend>
        Line item {index + 1}
        {lineItem.name ? `: ${lineItem.name}` : ''}
      </legend>
      <div className="form-grid">
        <TextAt
          path={`${path}.key`}
          label="Key"
          value={lineItem.key}
          hint="Stable across versions; delivery files refer to it."
          set={(draft, value) => {
            lineItemOf(draft, index).key = value;
          }}
        />
        <TextAt
          path={`${path}.name`}
          label="Name"
          value={lineItem.name}
          className="wide"
          set={(draft, value) => {
            lineItemOf(draft, index).name = value;
          }}
        />
        <DateAt
          path={`${path}.startDate`}
          label="Starts (optional)"
          value={lineItem.startDate}
          set={(draft, value) => {
            lineItemOf(draft, index).startDate = value;
          }}
        />
        <DateAt
          path={`${path}.endDate`}
          label="Ends (optional)"
          value={lineItem.endDate}
          set={(draft, value) => {
            lineItemOf(draft, index).endDate = value;
          }}
        />
        <DecimalAt
          path={`${path}.budgetCap`}
          label="Budget cap (optional)"
          value={lineItem.budgetCap}
          set={(draft, value) => {
            lineItemOf(draft, index).budgetCap = value;
          }}
        />
        <WholeAt
          path={`${path}.impressionCap`}
          label="Impression cap (optional)"
          value={lineItem.impressionCap}
          set={(draft, value) => {
            lineItemOf(draft, index).impressionCap = value;
          }}
        />
        <SelectAt
          path={`${pricingPath}.model`}
          label="Pricing model"
          value={choiceOf(lineItem)}
          options={pricingChoices}
          set={(draft, value) => {
            const target = lineItemOf(draft, index).pricing;
            // A literal cpm, cpcv or cpc line moved onto a card not chosen yet is sold by the same model.
            const metricModel = cardModels.find((model) => model === target.model);
            if (value === 'card' && metricModel && target.card.rateCardId === '') target.card.model = metricModel;
            delete target.kept;
            target.model = (value === 'cpm_tiered' ? 'cpm' : value) as PricingModel;
            if (value === 'cpm' || value === 'cpm_tiered') target.cpm.tiered = value === 'cpm_tiered';
          }}
        />
        {billsImpressions(pricing.model) && (
          <>
            <SelectAt
              path={`${path}.billingSource`}
              label="Count impressions from"
              value={lineItem.billingSource}
              options={[
                { value: '', label: 'first party (default)' },
                { value: 'first_party', label: 'first party' },
                { value: 'third_party', label: 'third party' },
                { value: 'lesser_of', label: 'the lesser of both' },
              ]}
              set={(draft, value) => {
                lineItemOf(draft, index).billingSource = value;
              }}
            />
            <DecimalAt
              path={`${path}.discrepancyTolerancePercent`}
              label="Discrepancy tolerance %"
              value={lineItem.discrepancyTolerancePercent}
              placeholder="10"
              set={(draft, value) => {
                lineItemOf(draft, index).discrepancyTolerancePercent = value;
              }}
            />
          </>
        )}
      </div>

      {pricing.kept !== undefined && (
        <p className="hint">
          This line&apos;s {String((pricing.kept as { model?: unknown }).model)} pricing is kept as it is: the editor cannot change it yet.
          Choose a pricing model to replace it.
        </p>
      )}
      {pricing.kept === undefined && metricModel && (
        <MetricFields
          model={metricModel}
          path={pricingPath}
          metric={pricing[metricModel]}
          metricOf={(draft) => lineItemOf(draft, index).pricing[metricModel]}
        />
      )}
      {pricing.kept === undefined && pricing.model === 'card' && <CardPricingFields index={index} path={pricingPath} card={pricing.card} />}
      {pricing.kept === undefined && pricing.model === 'cpa' && (
        <CpaFields path={pricingPath} cpa={pricing.cpa} cpaOf={(draft) => lineItemOf(draft, index).pricing.cpa} />
      )}
      {pricing.kept === undefined && pricing.model === 'hybrid' && (
        <>
          <div className="form-grid">
            <SelectAt
              path={`${pricingPath}.combine`}
              label="Bill"
              value={pricing.combine}
              hint="Per line item and period: CPM billing with a CPA guarantee is the lesser of the two."
              options={[
                { value: 'lesser_of', label: 'the lesser of CPM and CPA' },
                { value: 'greater_of', label: 'the greater of CPM and CPA' },
              ]}
              set={(draft, value) => {
                lineItemOf(draft, index).pricing.combine = value;
              }}
            />
          </div>
          <fieldset>
            <legend>CPM part</legend>
            <MetricFields
              model="cpm"
              path={`${pricingPath}.cpm`}
              metric={pricing.cpm}
              metricOf={(draft) => lineItemOf(draft, index).pricing.cpm}
            />
          </fieldset>
          <fieldset>
            <legend>CPA part</legend>
            <CpaFields path={`${pricingPath}.cpa`} cpa={pricing.cpa} cpaOf={(draft) => lineItemOf(draft, index).pricing.cpa} />
          </fieldset>
        </>
      )}
      {pricing.model === 'flat' && (
        <div className="form-grid">
          <DecimalAt
            path={`${pricingPath}.amount`}
            label="Amount per period"
            value={pricing.flatAmount}
            set={(draft, value) => {
              lineItemOf(draft, index).pricing.flatAmount = value;
            }}
          />
          <CheckboxAt
            path={`${pricingPath}.prorate`}
            label="Prorate by active days"
            value={pricing.flatProrate}
            set={(draft, value) => {
              lineItemOf(draft, index).pricing.flatProrate = value;
            }}
          />
        </div>
      )}
      <div className="actions" style={{ marginTop: '0.75rem' }}>
        <RemoveItem path="lineItems" listOf={(draft) => draft.lineItems} index={index} disabled={!canRemove}>
          Remove line item {index + 1}
        </RemoveItem>
      </div>
    </fieldset>
  );
}
