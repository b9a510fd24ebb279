/** CPM pricing: one rate per thousand impressions, or tiers (graduated or volume) per period. */
import { Button } from '../../../common/ui/Button.tsx';
import { at, CheckboxAt, DecimalAt, SelectAt, WholeAt } from './fields.tsx';
import { type CpmForm, emptyTier, type TermsForm } from './terms-form.ts';
import { listEdit, useEditor } from './use-terms-editor.ts';

export function CpmFields({ path, cpm, cpmOf }: { path: string; cpm: CpmForm; cpmOf: (draft: TermsForm) => CpmForm }) {
  const editor = useEditor();
  return (
    <>
      <div className="form-grid">
        <CheckboxAt
          path={`${path}.tierMode`}
          label="Tiered rates"
          value={cpm.tiered}
          set={(draft, value) => {
            cpmOf(draft).tiered = value;
          }}
        />
        {!cpm.tiered && (
          <DecimalAt
            path={`${path}.ratePerMille`}
            label="Rate per 1,000 impressions"
            value={cpm.ratePerMille}
            placeholder="25.00"
            set={(draft, value) => {
              cpmOf(draft).ratePerMille = value;
            }}
          />
        )}
        {cpm.tiered && (
          <SelectAt
            path={`${path}.tierMode`}
            label="Tier mode"
            value={cpm.tierMode}
            hint={
              cpm.tierMode === 'graduated'
                ? 'Each impression at the rate of the tier it falls in.'
                : 'All impressions at the rate of the tier the total falls in.'
            }
            options={[
              { value: 'graduated', label: 'graduated' },
              { value: 'volume', label: 'volume' },
            ]}
            set={(draft, value) => {
              cpmOf(draft).tierMode = value;
            }}
          />
        )}
      </div>
      {cpm.tiered && (
        <div className="table-wrap" style={{ marginTop: '0.5rem' }}>
          <table className="table">
            <caption className="muted small" style={{ textAlign: 'left' }}>
              Tiers per billing period; leave "up to" empty on the last tier (no upper limit).
            </caption>
            <thead>
              <tr>
                <th>Up to (impressions, inclusive)</th>
                <th>Rate per 1,000</th>
                <th>Flat amount when reached</th>
                <th>
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {cpm.tiers.map((tier, index) => (
                <tr key={index}>
                  <td>
                    <WholeAt
                      path={`${path}.tiers[${index}].upTo`}
                      label={`Tier ${index + 1} up to`}
                      value={tier.upTo}
                      placeholder={index === cpm.tiers.length - 1 ? 'no limit' : '1000000'}
                      set={(draft, value) => {
                        at(cpmOf(draft).tiers, index).upTo = value;
                      }}
                    />
                  </td>
                  <td>
                    <DecimalAt
                      path={`${path}.tiers[${index}].ratePerMille`}
                      label={`Tier ${index + 1} rate`}
                      value={tier.ratePerMille}
                      set={(draft, value) => {
                        at(cpmOf(draft).tiers, index).ratePerMille = value;
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
                        at(cpmOf(draft).tiers, index).flatAmount = value;
                      }}
                    />
                  </td>
                  <td style={{ verticalAlign: 'bottom' }}>
                    <Button
                      size="small"
                      variant="danger"
                      disabled={cpm.tiers.length === 1}
                      aria-label={`Remove tier ${index + 1}`}
                      onClick={() =>
                        editor.edit(listEdit(`${path}.tiers`), (draft) => {
                          cpmOf(draft).tiers.splice(index, 1);
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
                const tiers = cpmOf(draft).tiers;
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
