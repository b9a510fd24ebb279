/**
 * The dunning schedule in force: the days past due at which an overdue invoice is announced. Every
 * staff role reads it (`settings.read`); whoever may change settings (`settings.write`: admins)
 * edits it here, a field per step, each checked as typed with the API's rules and refused at its
 * own field by the server when it disagrees.
 */
import { type FormEvent, useState } from 'react';
import { useCan } from '../../app/hooks.ts';
import { useFieldErrors } from '../../common/form-errors.ts';
import { formatCount } from '../../common/format.ts';
import { toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { ErrorState, Loading, ProblemAlert } from '../../common/ui/states.tsx';
import { type DunningSchedule, useGetDunningScheduleQuery, useReplaceDunningScheduleMutation } from './dunning-api.ts';
import { dunningStepsMax, type ScheduleForm, scheduleFormErrors, scheduleFormOf, scheduleInputOf } from './dunning-schedule-form.ts';

/** "1, 15 and 30 days past due". */
export function describeSchedule(steps: readonly number[]): string {
  const days = steps.map((step) => formatCount(step));
  const listed = days.length > 1 ? `${days.slice(0, -1).join(', ')} and ${days.at(-1)}` : (days[0] ?? '');
  return `${listed} ${steps.length === 1 && steps[0] === 1 ? 'day' : 'days'} past due`;
}

function ScheduleEditor({ schedule, onDone }: { schedule: DunningSchedule; onDone: (saved: boolean) => void }) {
  const [form, setForm] = useState<ScheduleForm>(() => scheduleFormOf(schedule));
  const [replace, state] = useReplaceDunningScheduleMutation();
  const errors = useFieldErrors(scheduleFormErrors(form));
  const problem = toProblem(state.error);
  const setStep = (index: number, value: string) => {
    setForm((current) => ({ steps: current.steps.map((step, at) => (at === index ? value : step)) }));
    errors.touch(`steps[${index}]`);
  };
  const removeStep = (index: number) => {
    setForm((current) => ({ steps: current.steps.filter((_, at) => at !== index) }));
    errors.touch('steps');
  };
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.readyToSubmit()) return;
    const result = await replace(scheduleInputOf(form));
    if (result.data) onDone(true);
    else errors.showRefusal(result.error);
  };
  return (
    <form aria-label="Edit dunning schedule" onSubmit={onSubmit} noValidate>
      <ProblemAlert problem={problem} showFieldErrors={false} />
      <fieldset>
        <legend>Days past due, ascending</legend>
        {form.steps.map((step, index) => (
          <div key={index} className="actions" style={{ alignItems: 'flex-end' }}>
            <Field label={`Step ${index + 1}`} error={errors.errorAt(`steps[${index}]`)}>
              <input inputMode="numeric" value={step} maxLength={5} onChange={(event) => setStep(index, event.target.value)} />
            </Field>
            <Button size="small" aria-label={`Remove step ${index + 1}`} onClick={() => removeStep(index)}>
              Remove
            </Button>
          </div>
        ))}
        {errors.errorAt('steps') && (
          <span className="error" role="alert">
            {errors.errorAt('steps')}
          </span>
        )}
      </fieldset>
      <div className="actions" style={{ marginTop: '0.75rem' }}>
        <Button
          size="small"
          disabled={form.steps.length >= dunningStepsMax}
          onClick={() => setForm((current) => ({ steps: [...current.steps, ''] }))}
        >
          Add step
        </Button>
        <Button type="submit" variant="primary" busy={state.isLoading}>
          Save schedule
        </Button>
        <Button onClick={() => onDone(false)}>Cancel</Button>
      </div>
    </form>
  );
}

export function DunningScheduleCard() {
  const canEdit = useCan('settings.write');
  const schedule = useGetDunningScheduleQuery();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  return (
    <section className="card" aria-label="Dunning schedule">
      <h2 style={{ marginTop: 0 }}>Dunning schedule</h2>
      {schedule.isLoading && <Loading />}
      {schedule.error && <ErrorState error={schedule.error} onRetry={() => void schedule.refetch()} />}
      {schedule.data && !editing && (
        <>
          <p>
            An overdue invoice is announced at <strong>{describeSchedule(schedule.data.steps)}</strong>, each step once; when several are
            due at once, only the latest is sent.
          </p>
          {saved && (
            <div className="alert ok" role="status">
              Schedule saved: dunning runs follow it from now on.
            </div>
          )}
          {canEdit && (
            <Button
              onClick={() => {
                setSaved(false);
                setEditing(true);
              }}
            >
              Edit schedule
            </Button>
          )}
        </>
      )}
      {schedule.data && editing && (
        <ScheduleEditor
          schedule={schedule.data}
          onDone={(wasSaved) => {
            setEditing(false);
            setSaved(wasSaved);
          }}
        />
      )}
    </section>
  );
}
