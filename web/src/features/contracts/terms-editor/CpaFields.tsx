/** CPA pricing: priced events, attribution windows and model, eligibility, caps and what status bills. */
import { CpaEventsFields } from './CpaEventsFields.tsx';
import { CheckboxAt, DecimalAt, SelectAt, TextAt, WholeAt } from './fields.tsx';
import type { CpaForm, TermsForm } from './terms-form.ts';
import { useEditor } from './use-terms-editor.ts';

/** Which touch in its window gets the credit (docs/affiliate/attribution.md). */
const attributionHints: Record<CpaForm['attributionModel'], string> = {
  '': 'The latest click in its window, else the latest view.',
  last_click: 'The latest click in its window, else the latest view.',
  first_click: 'The earliest click in its window, else the earliest view.',
  last_touch: 'The latest touch in its window, click or view.',
};

export function CpaFields({ path, cpa, cpaOf }: { path: string; cpa: CpaForm; cpaOf: (draft: TermsForm) => CpaForm }) {
  const editor = useEditor();
  return (
    <>
      <h4 className="small muted" style={{ margin: '0.25rem 0' }}>
        Priced events
      </h4>
      <p className="hint" style={{ marginTop: 0 }}>
        An event type may have several entries with different conditions: the first entry that matches a conversion prices it.
      </p>
      <CpaEventsFields
        path={`${path}.events`}
        events={cpa.events}
        eventsOf={(draft) => cpaOf(draft).events}
        shareOf={editor.side === 'buy' ? 'what the advertiser is billed for it' : 'its value'}
      />
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
        <SelectAt
          path={`${path}.attribution.model`}
          label="Attribution model"
          value={cpa.attributionModel}
          hint={attributionHints[cpa.attributionModel]}
          options={[
            { value: '', label: 'last click (default)' },
            { value: 'last_click', label: 'last click' },
            { value: 'first_click', label: 'first click' },
            { value: 'last_touch', label: 'last touch' },
          ]}
          set={(draft, value) => {
            cpaOf(draft).attributionModel = value;
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
