/**
 * One scrub rule: what it decides by (fixed once created), its name and priority (which change),
 * whether it is active, who made and last changed it, and what it holds now. It has no preview of
 * its own: beside the active rules it would be shadowed by itself; a new rule started from it is
 * tested in the editor instead.
 */
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { updateScrubRuleSchema } from '../../../../src/wire/scrub.ts';
import { useFieldErrors } from '../../common/form-errors.ts';
import { formatInstant } from '../../common/format.ts';
import { toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { ErrorState, Loading, ProblemAlert } from '../../common/ui/states.tsx';
import { PersonName } from '../people/PersonName.tsx';
import { OfferName } from './OfferName.tsx';
import { RuleActive, RuleToggle } from './RuleActions.tsx';
import { ScrubConditions } from './ScrubConditions.tsx';
import { ActionBadge } from './ScrubRulesPage.tsx';
import { type ScrubRule, useGetScrubRuleQuery, useUpdateScrubRuleMutation } from './scrub-api.ts';
import { priorityOf, ruleErrors } from './scrub-rule-form.ts';

export default function ScrubRulePage() {
  const { ruleId = '' } = useParams();
  const canWrite = useCan('scrub.write');
  const { data: rule, error, isLoading, refetch } = useGetScrubRuleQuery(ruleId);
  if (isLoading) return <Loading />;
  if (error || !rule) return <ErrorState error={error} onRetry={refetch} />;
  return (
    <>
      <PageHeader
        title={rule.name}
        subtitle={
          <>
            Scrub rule, priority {rule.priority} · <RuleActive rule={rule} />
          </>
        }
        actions={
          <>
            <Link className="button" to={`/affiliate/held?ruleId=${encodeURIComponent(rule.id)}`}>
              Conversions it holds
            </Link>
            {canWrite && (
              <Link className="button" to={`/affiliate/scrub-rules/new?from=${encodeURIComponent(rule.id)}`}>
                New rule from this one
              </Link>
            )}
            <RuleToggle rule={rule} />
          </>
        }
      />
      <div className="card">
        <dl className="facts">
          <dt>When</dt>
          <dd>
            <ScrubConditions conditions={rule.conditions} />
          </dd>
          <dt>Then</dt>
          <dd>
            <ActionBadge action={rule.action} />
          </dd>
          <dt>Reason code</dt>
          <dd className="mono">{rule.reason}</dd>
          <dt>Offer</dt>
          <dd>{rule.contractId ? <OfferName id={rule.contractId} /> : 'every offer'}</dd>
          <dt>Created</dt>
          <dd>
            {formatInstant(rule.createdAt)} by <PersonName id={rule.createdBy} />
          </dd>
          <dt>Last changed</dt>
          <dd>
            {formatInstant(rule.updatedAt)} by <PersonName id={rule.updatedBy} />
          </dd>
          <dt>Id</dt>
          <dd className="mono">{rule.id}</dd>
        </dl>
        <p className="small muted">
          What a rule decides by never changes, so that every conversion it decided traces to it as it was. To change it, start a new rule
          from this one and disable this one.
        </p>
      </div>
      {canWrite && <RenameRule rule={rule} />}
    </>
  );
}

function RenameRule({ rule }: { rule: ScrubRule }) {
  const [name, setName] = useState(rule.name);
  const [priority, setPriority] = useState(String(rule.priority));
  const [update, state] = useUpdateScrubRuleMutation();
  const problem = toProblem(state.error);
  const patch = { name: name.trim(), priority: priorityOf(priority) };
  const errors = useFieldErrors(ruleErrors(updateScrubRuleSchema, patch));
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.readyToSubmit()) return;
    const result = await update({ id: rule.id, patch });
    if (result.error) errors.showRefusal(result.error);
  };
  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-label="Name and priority">
      <ProblemAlert problem={problem} showFieldErrors={false} />
      <div className="form-grid">
        <Field label="Name" error={errors.errorAt('name')}>
          <input
            value={name}
            onChange={(event) => {
              setName(event.target.value);
              errors.touch('name');
            }}
            maxLength={200}
          />
        </Field>
        <Field label="Priority" error={errors.errorAt('priority')}>
          <input
            inputMode="numeric"
            value={priority}
            onChange={(event) => {
              setPriority(event.target.value);
              errors.touch('priority');
            }}
          />
        </Field>
      </div>
      <div className="actions" style={{ marginTop: '0.75rem' }}>
        <Button type="submit" busy={state.isLoading} disabled={name.trim() === rule.name && priority.trim() === String(rule.priority)}>
          Save name and priority
        </Button>
      </div>
    </form>
  );
}
