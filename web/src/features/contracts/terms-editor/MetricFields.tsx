/**
 * A literal cpm, cpcv or cpc pricing (SPEC §3, §8): one rate (per thousand impressions, per completed
 * view, per click), or tiers (graduated or volume) per period. The three share these fields; only the
 * rate's terms field (rateFieldOfModel) and the words for the unit differ.
 */
import { Button } from '../../../common/ui/Button.tsx';
import { rateFieldOfModel } from '../../../../../src/wire/rate-cards.ts';
import { at, CheckboxAt, DecimalAt, SelectAt, WholeAt } from './fields.tsx';
import { emptyTier, type MetricForm, type MetricModel, type TermsForm } from './terms-form.ts';
import { listEdit, useEditor } from './use-terms-editor.ts';

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
  const editor = useEditor();
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
        <div className="table-wrap" style={{ marginTop: '0.5rem' }}>
          <table className="table">
            <caption className="muted small" style={{ textAlign: 'left' }}>
              Tiers per billing period; leave "up to" empty on the last tier (no upper limit).
            </caption>
            <thead>
              <tr>
                <th>Up to ({words.units}, inclusive)</th>
                <th>{words.tierRate}</th>
                <th>Flat amount when reached</th>
                <th>
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {metric.tiers.map((tier, index) => (
                <tr key={index}>
                  <td>
                    <WholeAt
                      path={`${path}.tiers[${index}].upTo`}
                      label={`Tier ${index + 1} up to`}
                      value={tier.upTo}
                      placeholder={index === metric.tiers.length - 1 ? 'no limit' : '1000000'}
                      set={(draft, value) => {
                        at(metricOf(draft).tiers, index).upTo = value;
                      }}
                    />
                  </td>
                  <td>
                    <DecimalAt
                      path={`${path}.tiers[${index}].${rateField}`}
                      label={`Tier ${index + 1} rate`}
                      value={tier.rate}
                      set={(draft, value) => {
                        at(metricOf(draft).tiers, index).rate = value;
                      }}
                    />
                  </td>
                  <td>
                    <DecimalAt
                      path={`${path}.tiers[${index}].flatAmount`}
                      label={`Tier ${index + 1} flat amount`}
                      value={tier.flatAmount}
                      placeholder="0"
                      set={(draft, value) => {
                        at(metricOf(draft).tiers, index).flatAmount = value;
                      }}
                    />
                  </td>
                  <td style={{ verticalAlign: 'bottom' }}>
                    <Button
                      size="small"
                      variant="danger"
                      disabled={metric.tiers.length === 1}
                      aria-label={`Remove tier ${index + 1}`}
                      onClick={() =>
                        editor.edit(listEdit(`${path}.tiers`), (draft) => {
                          metricOf(draft).tiers.splice(index, 1);
                        })
                      }
                    >
                      Remove
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Button
            size="small"
            onClick={() =>
              editor.edit(listEdit(`${path}.tiers`), (draft) => {
                const tiers = metricOf(draft).tiers;
                // The new tier goes before the open-ended last one, which stays last.
                tiers.splice(Math.max(tiers.length - 1, 0), 0, emptyTier());
              })
            }
          >
            Add tier
          </Button>
        </div>
      )}
    </>
  );
}
