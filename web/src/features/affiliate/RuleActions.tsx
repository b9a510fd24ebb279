/** A rule's status, and disabling or enabling it (scrub.write): a disabled rule decides nothing more and stays readable. */
import { useCan } from '../../app/hooks.ts';
import { toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { type ScrubRule, useUpdateScrubRuleMutation } from './scrub-api.ts';

export function RuleActive({ rule }: { rule: ScrubRule }) {
  return rule.active ? <span className="badge ok">active</span> : <span className="badge">disabled</span>;
}

export function RuleToggle({ rule }: { rule: ScrubRule }) {
  const canWrite = useCan('scrub.write');
  const [update, state] = useUpdateScrubRuleMutation();
  if (!canWrite) return null;
  return (
    <>
      <Button
        size="small"
        variant={rule.active ? 'danger' : 'secondary'}
        busy={state.isLoading}
        onClick={() => void update({ id: rule.id, patch: { active: !rule.active } })}
        aria-label={`${rule.active ? 'Disable' : 'Enable'} ${rule.name}`}
      >
        {rule.active ? 'Disable' : 'Enable'}
      </Button>
      <ProblemAlert problem={toProblem(state.error)} />
    </>
  );
}
