/**
 * A literal cpm, cpcv or cpc pricing (SPEC §3, §8): one rate (per thousand impressions, per completed
 * view, per click), or tiers (graduated or volume) per period. The three share these fields; only the
 * rate's terms field (rateFieldOfModel) and the words for the unit differ.
 */
import { rateFieldOfModel } from '../../../../../src/wire/rate-cards.ts';
import { CheckboxAt, DecimalAt, SelectAt } from './fields.tsx';
import { emptyTier, type MetricForm, type MetricModel, type TermsForm } from './terms-form.ts';
import { TierRows } from './TierRows.tsx';

/** How each model's fields read: the rate's label and placeholder, the unit counted, a tier's rate column. */
const wording: Record<MetricModel, { rate: string; placeholder: string; unit: string; units: string; tierRate: string }> = {
  cpm: { rate: 'Rate per 1,000 impressions', placeholder: '25.00', unit: 'impression', units: 'impressions', tierRate: 'Rate per 1,000' },
  cpcv: {
    rate: 'Rate per completed view',
    placeholder: '0.05',
    unit: 'completed view',
    units: 'completed views',
    tierRate: 'Rate per view',
  },
  cpc: { rate: 'Rate per click', placeholder: '1.50', unit: 'click', units: 'clicks', tierRate: 'Rate per click' },
};

export function MetricFields({
  model,
  path,
  metric,
  metricOf,
}: {
  model: MetricModel;
  path: string;
  metric: MetricForm;
  metricOf: (draft: TermsForm) => MetricForm;
}) {
  const words = wording[model];
  const rateField = rateFieldOfModel[model];
  return (
    <>
      <div className="form-grid">
        <CheckboxAt
          path={`${path}.tierMode`}
          label="Tiered rates"
          value={metric.tiered}
          set={(draft, value) => {
            metricOf(draft).tiered = value;
          }}
        />
        {!metric.tiered && (
          <DecimalAt
            path={`${path}.${rateField}`}
            label={words.rate}
            value={metric.rate}
            placeholder={words.placeholder}
            set={(draft, value) => {
              metricOf(draft).rate = value;
            }}
          />
        )}
        {metric.tiered && (
          <SelectAt
            path={`${path}.tierMode`}
            label="Tier mode"
            value={metric.tierMode}
            hint={
              metric.tierMode === 'graduated'
                ? `Each ${words.unit} at the rate of the tier it falls in.`
                : `All ${words.units} at the rate of the tier the total falls in.`
            }
            options={[
              { value: 'graduated', label: 'graduated' },
              { value: 'volume', label: 'volume' },
            ]}
            set={(draft, value) => {
              metricOf(draft).tierMode = value;
            }}
          />
        )}
      </div>
      {metric.tiered && (
        <TierRows
          listPath={`${path}.tiers`}
          rows={metric.tiers}
          rowsOf={(draft) => metricOf(draft).tiers}
          emptyRow={emptyTier}
          noun="Tier"
          units={words.units}
          firstUpToPlaceholder="1000000"
          columns={[
            { field: 'rate', termsField: rateField, header: words.tierRate, label: 'rate' },
            { field: 'flatAmount', termsField: 'flatAmount', header: 'Flat amount when reached', label: 'flat amount', placeholder: '0' },
          ]}
        />
      )}
    </>
  );
}
