/**
 * The terms editor (SPEC §3): contract dates and money, renewal, fees and line items with every
 * pricing model, and on an offer (sell side) its payouts to partners (SPEC §9). It validates as
 * you type with the server's schema and shows the server's own field errors at their fields; the
 * page around it owns submitting.
 */
import { Button } from '../../../common/ui/Button.tsx';
import { CheckboxAt, DateAt, DecimalAt, SelectAt, TextAt, WholeAt } from './fields.tsx';
import { FeesEditor } from './FeesEditor.tsx';
import { LineItemEditor } from './LineItemEditor.tsx';
import { PartnerPayoutsFields } from './PartnerPayoutsFields.tsx';
import { emptyLineItem } from './terms-form.ts';
import { listEdit, TermsEditorContext, type TermsEditorState } from './use-terms-editor.ts';

export function TermsEditor({ editor, currencyLocked = false }: { editor: TermsEditorState; currencyLocked?: boolean }) {
  const { form, side } = editor;
  return (
    <TermsEditorContext.Provider value={editor}>
      <ErrorSummary editor={editor} />
      <fieldset>
        <legend>Contract terms</legend>
        <div className="form-grid">
          <DateAt
            path="startDate"
            label="Start date"
            value={form.startDate}
            set={(draft, value) => {
              draft.startDate = value;
            }}
          />
          <DateAt
            path="endDate"
            label="End date"
            value={form.endDate}
            set={(draft, value) => {
              draft.endDate = value;
            }}
          />
          {currencyLocked ? (
            <div className="field">
              <span className="label">Currency</span>
              <span>{form.currency}</span>
              <span className="hint">An amendment keeps the contract's currency.</span>
            </div>
          ) : (
            <TextAt
              path="currency"
              label="Currency"
              value={form.currency}
              set={(draft, value) => {
                draft.currency = value.toUpperCase();
              }}
            />
          )}
          <SelectAt
            path="billingPeriod"
            label="Billing period"
            value={form.billingPeriod}
            options={[
              { value: 'calendar_month', label: 'calendar month' },
              { value: 'broadcast_month', label: 'broadcast month' },
            ]}
            set={(draft, value) => {
              draft.billingPeriod = value;
            }}
          />
          <WholeAt
            path="paymentTermsDays"
            label="Payment terms (days)"
            value={form.paymentTermsDays}
            placeholder="the party's"
            set={(draft, value) => {
              draft.paymentTermsDays = value;
            }}
          />
          <DecimalAt
            path="budgetCap"
            label="Budget cap (optional)"
            value={form.budgetCap}
            hint="Not to exceed over the whole contract."
            set={(draft, value) => {
              draft.budgetCap = value;
            }}
          />
          <CheckboxAt
            path="minimumSpend"
            label="Minimum spend"
            value={form.minimumSpendEnabled}
            set={(draft, value) => {
              draft.minimumSpendEnabled = value;
            }}
          />
          {form.minimumSpendEnabled && (
            <>
              <DecimalAt
                path="minimumSpend.amount"
                label="Minimum amount"
                value={form.minimumSpendAmount}
                set={(draft, value) => {
                  draft.minimumSpendAmount = value;
                }}
              />
              <SelectAt
                path="minimumSpend.per"
                label="Minimum per"
                value={form.minimumSpendPer}
                options={[
                  { value: 'period', label: 'billing period' },
                  { value: 'contract', label: 'whole contract' },
                ]}
                set={(draft, value) => {
                  draft.minimumSpendPer = value;
                }}
              />
            </>
          )}
          <SelectAt
            path="renewal.mode"
            label="Renewal"
            value={form.renewalMode}
            options={[
              { value: 'none', label: 'none' },
              { value: 'manual', label: 'manual' },
              { value: 'auto', label: 'automatic' },
            ]}
            set={(draft, value) => {
              draft.renewalMode = value;
              draft.renewalStated = true;
            }}
          />
          {form.renewalMode !== 'none' && (
            <>
              <WholeAt
                path="renewal.termMonths"
                label="Renewal term (months)"
                value={form.renewalTermMonths}
                set={(draft, value) => {
                  draft.renewalTermMonths = value;
                }}
              />
              <WholeAt
                path="renewal.noticeDays"
                label="Notice (days)"
                value={form.renewalNoticeDays}
                set={(draft, value) => {
                  draft.renewalNoticeDays = value;
                }}
              />
            </>
          )}
        </div>
        {side === 'buy' && <BuySideFields />}
      </fieldset>
      <FeesEditor fees={form.fees} />
      {form.lineItems.map((lineItem, index) => (
        <LineItemEditor key={index} index={index} lineItem={lineItem} canRemove={form.lineItems.length > 1} />
      ))}
      <Button
        onClick={() =>
          editor.edit(listEdit('lineItems'), (draft) => {
            draft.lineItems.push(emptyLineItem(draft.lineItems.length));
          })
        }
      >
        Add line item
      </Button>
      {side === 'sell' && <PartnerPayoutsFields />}
    </TermsEditorContext.Provider>
  );
}

/** Partner agreements: which sell contracts they are paid on, hold days and the minimum payout. */
function BuySideFields() {
  return (
    <TermsEditorContext.Consumer>
      {(editor) =>
        editor && (
          <div className="form-grid" style={{ marginTop: '0.75rem' }}>
            <CheckboxAt
              path="appliesTo"
              label="Paid on all sell contracts"
              value={editor.form.appliesToAll}
              set={(draft, value) => {
                draft.appliesToAll = value;
              }}
            />
            {!editor.form.appliesToAll && (
              <TextAt
                path="appliesTo"
                label="Sell contract ids"
                className="wide"
                includeNested
                value={editor.form.appliesToIds}
                placeholder="ctr_…, ctr_…"
                set={(draft, value) => {
                  draft.appliesToIds = value;
                }}
              />
            )}
            <WholeAt
              path="holdDays"
              label="Hold days"
              value={editor.form.holdDays}
              placeholder="0"
              set={(draft, value) => {
                draft.holdDays = value;
              }}
            />
            <DecimalAt
              path="minimumPayout"
              label="Minimum payout"
              value={editor.form.minimumPayout}
              placeholder="0"
              set={(draft, value) => {
                draft.minimumPayout = value;
              }}
            />
          </div>
        )
      }
    </TermsEditorContext.Consumer>
  );
}

/** After a submit attempt, every problem in one list: also those of fields not on screen. */
function ErrorSummary({ editor }: { editor: TermsEditorState }) {
  if (!editor.revealed || editor.shownErrors.length === 0) return null;
  return (
    <div className="alert error error-summary" role="alert" aria-live="polite">
      <strong>{editor.shownErrors.length === 1 ? 'One problem' : `${editor.shownErrors.length} problems`} in the terms</strong>
      <ul>
        {editor.shownErrors.slice(0, 30).map(({ path, message }) => (
          <li key={path}>
            <code>{path || 'terms'}</code>: {message}
          </li>
        ))}
      </ul>
    </div>
  );
}
