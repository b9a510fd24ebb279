/** CPA pricing: priced events, attribution windows, eligibility, caps and what status bills. */
import { Button } from '../../../common/ui/Button.tsx';
import { at, CheckboxAt, DecimalAt, SelectAt, TextAt, WholeAt } from './fields.tsx';
import { type CpaForm, emptyCpaEvent, type TermsForm } from './terms-form.ts';
import { listEdit, useEditor } from './use-terms-editor.ts';

export function CpaFields({ path, cpa, cpaOf }: { path: string; cpa: CpaForm; cpaOf: (draft: TermsForm) => CpaForm }) {
  const editor = useEditor();
  return (
    <>
      <h4 className="small muted" style={{ margin: '0.25rem 0' }}>
        Priced events
      </h4>
      {cpa.events.map((event, index) => {
        const eventPath = `${path}.events[${index}]`;
        const eventError = editor.errorAt(eventPath);
        return (
          <div key={index} className="form-grid" style={{ marginBottom: '0.5rem' }}>
            <TextAt
              path={`${eventPath}.eventType`}
              label="Event type"
              value={event.eventType}
              placeholder="purchase"
              set={(draft, value) => {
                at(cpaOf(draft).events, index).eventType = value;
              }}
            />
            <SelectAt
              path={`${eventPath}.basis`}
              label="Paid as"
              value={event.basis}
              options={[
                { value: 'amount', label: 'an amount per conversion' },
                { value: 'revenueSharePercent', label: 'a share of its value (%)' },
              ]}
              set={(draft, value) => {
                at(cpaOf(draft).events, index).basis = value;
              }}
            />
            <DecimalAt
              path={`${eventPath}.${event.basis}`}
              label={event.basis === 'amount' ? 'Amount' : 'Revenue share %'}
              value={event.value}
              set={(draft, value) => {
                at(cpaOf(draft).events, index).value = value;
              }}
            />
            <div className="field">
              <span className="label">&nbsp;</span>
              <Button
                size="small"
                variant="danger"
                disabled={cpa.events.length === 1}
                aria-label={`Remove event ${index + 1}`}
                onClick={() =>
                  editor.edit(listEdit(`${path}.events`), (draft) => {
                    cpaOf(draft).events.splice(index, 1);
                  })
                }
              >
                Remove
              </Button>
            </div>
            {eventError && (
              <span className="error wide" role="alert">
                {eventError}
              </span>
            )}
          </div>
        );
      })}
      <Button
        size="small"
        onClick={() =>
          editor.edit(listEdit(`${path}.events`), (draft) => {
            cpaOf(draft).events.push(emptyCpaEvent());
          })
        }
      >
        Add event
      </Button>
      <div className="form-grid" style={{ marginTop: '0.75rem' }}>
        <WholeAt
          path={`${path}.attribution.viewWindowDays`}
          label="View window (days)"
          value={cpa.viewWindowDays}
          set={(draft, value) => {
            cpaOf(draft).viewWindowDays = value;
          }}
        />
        <WholeAt
          path={`${path}.attribution.clickWindowDays`}
          label="Click window (days)"
          value={cpa.clickWindowDays}
          set={(draft, value) => {
            cpaOf(draft).clickWindowDays = value;
          }}
        />
        <TextAt
          path={`${path}.eligibility.countries`}
          label="Countries (optional)"
          value={cpa.countries}
          placeholder="US, CA"
          includeNested
          set={(draft, value) => {
            cpaOf(draft).countries = value.toUpperCase();
          }}
        />
        <DecimalAt
          path={`${path}.eligibility.minValue`}
          label="Minimum order value"
          value={cpa.minValue}
          set={(draft, value) => {
            cpaOf(draft).minValue = value;
          }}
        />
        <CheckboxAt
          path={`${path}.eligibility.newCustomersOnly`}
          label="New customers only"
          value={cpa.newCustomersOnly}
          set={(draft, value) => {
            cpaOf(draft).newCustomersOnly = value;
          }}
        />
        <WholeAt
          path={`${path}.caps.conversionsPerDay`}
          label="Cap per day"
          value={cpa.conversionsPerDay}
          placeholder="none"
          set={(draft, value) => {
            cpaOf(draft).conversionsPerDay = value;
          }}
        />
        <WholeAt
          path={`${path}.caps.conversionsPerPeriod`}
          label="Cap per period"
          value={cpa.conversionsPerPeriod}
          placeholder="none"
          set={(draft, value) => {
            cpaOf(draft).conversionsPerPeriod = value;
          }}
        />
        <SelectAt
          path={`${path}.billOn`}
          label="Bill conversions that are"
          value={cpa.billOn}
          options={[
            { value: '', label: 'approved (default)' },
            { value: 'approved', label: 'approved' },
            { value: 'pending', label: 'pending or approved' },
          ]}
          set={(draft, value) => {
            cpaOf(draft).billOn = value;
          }}
        />
      </div>
    </>
  );
}
