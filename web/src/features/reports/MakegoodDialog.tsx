/**
 * "Make good" on a line of the shortfall report: asks for the quantity (the shortfall to date by
 * default), the dates and a reason, and writes a draft makegood version of the contract, which then
 * goes through approval like any other version.
 */
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { addDays, todayDate } from '../../common/dates.ts';
import { fieldErrorsUnder, toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { makegoodReasons, type MakegoodReason } from '../../../../src/wire/goals.ts';
import { type ShortfallRow, useCreateMakegoodMutation } from './reports-api.ts';

/** What the line still owes to date: the quantity a makegood proposes first. */
export function shortfallOf(row: ShortfallRow): number {
  return Math.max(row.expectedToDate - row.delivered, 1);
}

export function MakegoodDialog({ row, onClose }: { row: ShortfallRow; onClose: () => void }) {
  const navigate = useNavigate();
  const [createMakegood, state] = useCreateMakegoodMutation();
  const [form, setForm] = useState({
    quantity: String(shortfallOf(row)),
    startDate: addDays(todayDate(), 1),
    endDate: addDays(todayDate(), 30),
    reason: 'underdelivery' as MakegoodReason,
    note: '',
  });
  const problem = toProblem(state.error);
  const fieldErrors = fieldErrorsUnder(problem, '');
  const quantity = Number(form.quantity);
  const quantityProblem = Number.isInteger(quantity) && quantity >= 1 ? undefined : 'a whole number, at least 1';

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (quantityProblem) return;
    const note = form.note.trim();
    const result = await createMakegood({
      contractId: row.contractId,
      body: {
        lineItem: row.lineItem,
        quantity,
        startDate: form.startDate,
        endDate: form.endDate,
        reason: form.reason,
        ...(note === '' ? {} : { note }),
      },
    });
    if (result.data) navigate(`/contracts/${row.contractId}/versions/${result.data.number}`);
  };

  return (
    <Dialog open title={`Make good ${row.lineItem}`} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate aria-label="Make good">
        <p className="small">
          A draft version adds a line <span className="mono">{row.lineItem}-mg…</span> at no charge; its delivery counts toward this
          line&apos;s goal once the version is approved.
        </p>
        <ProblemAlert problem={problem} showFieldErrors={false} />
        <div className="form-grid">
          <Field
            label={`Quantity (${row.goal.metric === 'impressions' ? 'impressions' : 'completed views'})`}
            error={quantityProblem ?? fieldErrors.quantity}
          >
            <input inputMode="numeric" value={form.quantity} onChange={(event) => setForm({ ...form, quantity: event.target.value })} />
          </Field>
          <Field label="Reason" error={fieldErrors.reason}>
            <select value={form.reason} onChange={(event) => setForm({ ...form, reason: event.target.value as MakegoodReason })}>
              {makegoodReasons.map((reason) => (
                <option key={reason} value={reason}>
                  {reason}
                </option>
              ))}
            </select>
          </Field>
          <Field label="From" error={fieldErrors.startDate}>
            <input type="date" value={form.startDate} onChange={(event) => setForm({ ...form, startDate: event.target.value })} />
          </Field>
          <Field label="To" error={fieldErrors.endDate}>
            <input type="date" value={form.endDate} onChange={(event) => setForm({ ...form, endDate: event.target.value })} />
          </Field>
          <Field label="Note (optional)" error={fieldErrors.note} className="wide">
            <input value={form.note} maxLength={2000} onChange={(event) => setForm({ ...form, note: event.target.value })} />
          </Field>
        </div>
        <div className="actions" style={{ marginTop: '0.75rem' }}>
          <Button type="submit" variant="primary" busy={state.isLoading}>
            Write the makegood
          </Button>
          <Button type="button" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
