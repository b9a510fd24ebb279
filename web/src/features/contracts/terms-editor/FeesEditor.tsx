/** Fees applied per period after media: a percent of media (negative for a commission) or a flat amount. */
import { at, CheckboxAt, DecimalAt, ListFoot, RemoveItem, SelectAt, TextAt } from './fields.tsx';
import { emptyFee, type FeeForm } from './terms-form.ts';

export function FeesEditor({ fees }: { fees: FeeForm[] }) {
  return (
    <fieldset>
      <legend>Fees</legend>
      {fees.length === 0 && <p className="muted small">No fees. Agency commissions are a negative percent of media.</p>}
      {fees.map((fee, index) => (
        <div key={index} className="form-grid" style={{ marginBottom: '0.5rem' }}>
          <TextAt
            path={`fees[${index}].key`}
            label="Key"
            value={fee.key}
            set={(draft, value) => {
              at(draft.fees, index).key = value;
            }}
          />
          <SelectAt
            path={`fees[${index}].kind`}
            label="Kind"
            value={fee.kind}
            options={[
              { value: 'percent_of_media', label: 'percent of media' },
              { value: 'flat', label: 'flat amount' },
            ]}
            set={(draft, value) => {
              at(draft.fees, index).kind = value;
            }}
          />
          {fee.kind === 'percent_of_media' ? (
            <DecimalAt
              path={`fees[${index}].percent`}
              label="Percent"
              value={fee.percent}
              placeholder="-15"
              set={(draft, value) => {
                at(draft.fees, index).percent = value;
              }}
            />
          ) : (
            <>
              <DecimalAt
                path={`fees[${index}].amount`}
                label="Amount"
                value={fee.amount}
                set={(draft, value) => {
                  at(draft.fees, index).amount = value;
                }}
              />
              <CheckboxAt
                path={`fees[${index}].prorate`}
                label="Prorate"
                value={fee.prorate}
                set={(draft, value) => {
                  at(draft.fees, index).prorate = value;
                }}
              />
            </>
          )}
          <div className="field">
            <span className="label">&nbsp;</span>
            <RemoveItem path="fees" listOf={(draft) => draft.fees} index={index} label={`Remove fee ${index + 1}`} />
          </div>
        </div>
      ))}
      <ListFoot
        path="fees"
        noun="fee"
        add={(draft) => {
          draft.fees.push(emptyFee(draft.fees.length));
        }}
      />
    </fieldset>
  );
}
