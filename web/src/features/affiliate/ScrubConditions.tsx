/** A scrub rule's conditions in words ("click to conversion < 20 s and country not in US, CA"), partners by name. */
import { Fragment, type ReactNode } from 'react';
import type { ScrubField, ScrubOperator } from '../../../../src/wire/scrub.ts';
import { PartyName } from '../parties/PartyName.tsx';

export const fieldWords: Record<ScrubField, string> = {
  clickToConversionSeconds: 'click to conversion',
  country: 'country',
  value: 'value',
  eventType: 'event',
  partnerId: 'partner',
};

export const operatorWords: Record<ScrubOperator, string> = {
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
  eq: '=',
  neq: '≠',
  in: 'in',
  not_in: 'not in',
};

/** One value as the field reads: seconds with their unit, partners by name, the rest as written. */
function valueText(field: ScrubField, value: unknown): ReactNode {
  if (field === 'partnerId' && typeof value === 'string') return <PartyName id={value} />;
  if (field === 'clickToConversionSeconds') return `${String(value)} s`;
  return String(value);
}

export interface ConditionLike {
  field: ScrubField;
  op: ScrubOperator;
  value: unknown;
}

export function ConditionText({ condition }: { condition: ConditionLike }) {
  const values = Array.isArray(condition.value) ? condition.value : [condition.value];
  return (
    <span className="scrub-condition">
      {fieldWords[condition.field]} {operatorWords[condition.op]}{' '}
      {values.map((value, index) => (
        <Fragment key={index}>
          {index > 0 && ', '}
          {valueText(condition.field, value)}
        </Fragment>
      ))}
    </span>
  );
}

export function ScrubConditions({ conditions }: { conditions: readonly ConditionLike[] }) {
  return (
    <>
      {conditions.map((condition, index) => (
        <Fragment key={index}>
          {index > 0 && <span className="muted"> and </span>}
          <ConditionText condition={condition} />
        </Fragment>
      ))}
    </>
  );
}
