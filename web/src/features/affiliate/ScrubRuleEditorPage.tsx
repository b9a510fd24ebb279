/**
 * A new scrub rule, tried against the last 30 days before it decides anything. The form is checked
 * by the server's own schema as the user types (a field's errors show once it is edited, all of them
 * once the rule is tested or created: common/form-errors.ts); the preview
 * is the server's, and says when the form changed since. `?from=<rule id>` starts from an existing
 * rule: what a rule decides by never changes, so a new threshold is a new rule (then disable the old).
 */
import { useMemo, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { createScrubRuleSchema, SCRUB_CONDITIONS_MAX, scrubActions } from '../../../../src/wire/scrub.ts';
import { useFieldErrors } from '../../common/form-errors.ts';
import { toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { ErrorState, Loading, ProblemAlert } from '../../common/ui/states.tsx';
import { ConditionFields, type ConditionPart } from './ConditionFields.tsx';
import { OfferPicker } from './OfferPicker.tsx';
import { PreviewPanel } from './PreviewPanel.tsx';
import { type ScrubPreview, useCreateScrubRuleMutation, useGetScrubRuleQuery, usePreviewScrubRuleMutation } from './scrub-api.ts';
import { emptyCondition, emptyRuleForm, formFromRule, type RuleForm, ruleBody, ruleErrors, ruleFieldOf } from './scrub-rule-form.ts';

const actionWords = { reject: 'reject the conversion', hold: 'hold it for review' } as const;

export default function ScrubRuleEditorPage() {
  const [searchParams] = useSearchParams();
  const from = searchParams.get('from') ?? '';
  const source = useGetScrubRuleQuery(from, { skip: from === '' });
  if (from !== '' && source.isLoading) return <Loading />;
  if (from !== '' && (source.error || !source.data)) return <ErrorState error={source.error} onRetry={source.refetch} />;
  return <RuleEditor key={from} initial={source.data ? formFromRule(source.data) : emptyRuleForm} />;
}

function RuleEditor({ initial }: { initial: RuleForm }) {
  const navigate = useNavigate();
  const [form, setForm] = useState(initial);
  const [create, createState] = useCreateScrubRuleMutation();
  const [runPreview, previewState] = usePreviewScrubRuleMutation();
  const [preview, setPreview] = useState<{ result: ScrubPreview; bodyKey: string } | undefined>();
  const body = ruleBody(form);
  const bodyKey = JSON.stringify(body);
  const local = useMemo(() => ruleErrors(createScrubRuleSchema, ruleBody(form)), [form]);
  const errors = useFieldErrors(local, { fieldOf: ruleFieldOf });
  const problem = toProblem(createState.error ?? previewState.error);
  const errorAt = errors.errorAt;
  /** Changes the form; `edited` is the path of the input changed, whose errors show from then on. */
  const set = (patch: Partial<RuleForm>, edited: string) => {
    setForm((current) => ({ ...current, ...patch }));
    errors.touch(edited);
  };
  const setCondition = (index: number, condition: RuleForm['conditions'][number], edited: ConditionPart) =>
    set({ conditions: form.conditions.map((item, at) => (at === index ? condition : item)) }, `conditions[${index}].${edited}`);
  // Adding or removing a condition marks nothing edited: a new, empty one is not flagged before it is filled.
  const setConditions = (conditions: RuleForm['conditions']) => setForm((current) => ({ ...current, conditions }));

  const onTest = async () => {
    if (!errors.readyToSubmit()) return;
    const result = await runPreview({ rule: body });
    if (result.data) setPreview({ result: result.data, bodyKey });
    // The preview sends the rule under `rule`: its errors name `rule.conditions[0]…`.
    else errors.showRefusal(result.error, 'rule');
  };
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.readyToSubmit()) return;
    const result = await create(body);
    if (result.data) navigate(`/affiliate/scrub-rules/${result.data.id}`);
    else errors.showRefusal(result.error);
  };

  return (
    <>
      <PageHeader
        title="New scrub rule"
        subtitle="When every condition holds, the first matching rule rejects the conversion or holds it for review. Test it before creating it."
      />
      <form className="card" onSubmit={onSubmit} noValidate>
        <ProblemAlert problem={problem} showFieldErrors={false} />
        <div className="form-grid">
          <Field label="Name" error={errorAt('name')}>
            <input value={form.name} onChange={(event) => set({ name: event.target.value }, 'name')} maxLength={200} />
          </Field>
          <Field label="Priority" error={errorAt('priority')} hint="Lowest first; equal priorities in creation order.">
            <input inputMode="numeric" value={form.priority} onChange={(event) => set({ priority: event.target.value }, 'priority')} />
          </Field>
          <Field label="Then" error={errorAt('action')}>
            <select value={form.action} onChange={(event) => set({ action: event.target.value as RuleForm['action'] }, 'action')}>
              {scrubActions.map((action) => (
                <option key={action} value={action}>
                  {actionWords[action]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Reason code" error={errorAt('reason')} hint="What the history and the scrub report name, such as click_too_fast.">
            <input
              value={form.reason}
              onChange={(event) => set({ reason: event.target.value }, 'reason')}
              maxLength={64}
              className="mono"
            />
          </Field>
        </div>
        <div style={{ marginTop: '0.75rem' }}>
          <OfferPicker
            value={form.contractId}
            onChange={(contractId) => set({ contractId }, 'contractId')}
            label="Only the offer"
            emptyLabel="Every offer"
            error={errorAt('contractId')}
          />
        </div>
        <h2>When</h2>
        {form.conditions.map((condition, index) => (
          <ConditionFields
            key={index}
            index={index}
            condition={condition}
            onChange={(changed, edited) => setCondition(index, changed, edited)}
            onRemove={form.conditions.length > 1 ? () => setConditions(form.conditions.filter((_, at) => at !== index)) : undefined}
            errorAt={errorAt}
          />
        ))}
        {form.conditions.length < SCRUB_CONDITIONS_MAX && (
          <Button size="small" onClick={() => setConditions([...form.conditions, emptyCondition])}>
            Add condition
          </Button>
        )}
        <div className="actions" style={{ marginTop: '1rem' }}>
          <Button busy={previewState.isLoading} onClick={() => void onTest()}>
            Test against the last 30 days
          </Button>
          <Button type="submit" variant="primary" busy={createState.isLoading}>
            Create rule
          </Button>
          <Button onClick={() => navigate(-1)}>Cancel</Button>
        </div>
      </form>
      {preview && <PreviewPanel preview={preview.result} stale={preview.bodyKey !== bodyKey} />}
    </>
  );
}
