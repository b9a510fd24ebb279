/**
 * A partner's tier (SPEC §9, payout hierarchy): the offers whose partner payouts name the tier pay
 * the partner by it, unless the partner's own buy contract applies. Who may edit parties sets or
 * clears it here; everyone else sees it.
 */
import { useState, type FormEvent } from 'react';
import { updatePartySchema } from '../../../../src/wire/parties.ts';
import { useCan } from '../../app/hooks.ts';
import { schemaErrors, useFieldErrors } from '../../common/form-errors.ts';
import { toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { type Party, useUpdatePartyMutation } from '../parties/parties-api.ts';

export function PartnerTier({ party }: { party: Party }) {
  const canWrite = useCan('parties.write');
  const [editing, setEditing] = useState(false);
  return (
    <section className="card" aria-label="Partner tier">
      <h2 style={{ marginTop: 0 }}>Partner tier</h2>
      {party.tier ? (
        <p data-testid="partner-tier">
          Tier <span className="badge info">{party.tier}</span>: offers whose partner payouts name this tier pay it by that tier, unless the
          partner's own agreement applies.
        </p>
      ) : (
        <p data-testid="partner-tier">
          <span className="muted">No tier:</span> paid by each offer's default payout, unless the partner's own agreement applies.
        </p>
      )}
      {canWrite &&
        (editing ? (
          <TierForm party={party} onDone={() => setEditing(false)} />
        ) : (
          <Button size="small" onClick={() => setEditing(true)}>
            {party.tier ? 'Change tier' : 'Set tier'}
          </Button>
        ))}
    </section>
  );
}

function TierForm({ party, onDone }: { party: Party; onDone: () => void }) {
  const [tier, setTier] = useState(party.tier ?? '');
  const [update, state] = useUpdatePartyMutation();
  const problem = toProblem(state.error);
  // The PATCH's own schema: the tier's errors at `tier`, as the server would name them.
  const errors = useFieldErrors(schemaErrors(updatePartySchema, { tier: tier.trim() }));

  const save = async (value: string | null) => {
    const result = await update({ id: party.id, patch: { tier: value } });
    if (result.data) onDone();
    else errors.showRefusal(result.error);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.readyToSubmit()) void save(tier.trim());
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      <ProblemAlert problem={problem} showFieldErrors={false} />
      <div className="form-grid">
        <Field
          label="Tier"
          error={errors.errorAt('tier')}
          hint="A name the offers' partner payouts use, such as gold: a-z, 0-9, “_” and “-”."
        >
          <input
            value={tier}
            onChange={(event) => {
              setTier(event.target.value);
              errors.touch('tier');
            }}
            maxLength={64}
          />
        </Field>
      </div>
      <div className="actions" style={{ marginTop: '0.75rem' }}>
        <Button type="submit" variant="primary" busy={state.isLoading}>
          Save tier
        </Button>
        {party.tier && (
          <Button variant="danger" disabled={state.isLoading} onClick={() => void save(null)}>
            Clear tier
          </Button>
        )}
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}
