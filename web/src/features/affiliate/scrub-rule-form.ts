/**
 * The scrub rule editor's form: what the user types (strings, partners chosen by name), the request
 * it makes (`CreateScrubRuleInput`), and the errors at each field, checked by the server's own schema
 * (src/wire/scrub.ts) before anything is sent.
 */
import type { z } from 'zod';
import {
  listOperators,
  operatorsOf,
  SCRUB_PRIORITY_MAX,
  type CreateScrubRuleInput,
  type ScrubAction,
  type ScrubCondition,
  type ScrubField,
  type ScrubOperator,
  type ScrubRule,
} from '../../../../src/wire/scrub.ts';
import { schemaErrors } from '../../common/form-errors.ts';

export interface ConditionForm {
  field: ScrubField;
  op: ScrubOperator;
  /** The value as typed; a list is comma-separated. Unused for partners. */
  value: string;
  /** Partners chosen, for a partnerId condition (one for eq and neq). */
  partners: string[];
}

export interface RuleForm {
  name: string;
  priority: string;
  action: ScrubAction;
  reason: string;
  /** '' for every offer. */
  contractId: string;
  conditions: ConditionForm[];
}

export const emptyCondition: ConditionForm = { field: 'clickToConversionSeconds', op: 'lt', value: '', partners: [] };

export const emptyRuleForm: RuleForm = {
  name: '',
  priority: '100',
  action: 'reject',
  reason: '',
  contractId: '',
  conditions: [emptyCondition],
};

/** A condition with its field changed: the operator kept when the field takes it, the value cleared. */
export function withField(condition: ConditionForm, field: ScrubField): ConditionForm {
  const op = operatorsOf(field).includes(condition.op) ? condition.op : 'eq';
  return { field, op, value: '', partners: [] };
}

export function isListOperator(op: ScrubOperator): boolean {
  return listOperators.includes(op);
}

/** A number when the text is a whole number, else the text itself (the schema then names what is wrong). */
function secondsOf(text: string): number | string {
  return /^\d{1,9}$/.test(text) ? Number(text) : text;
}

function oneValue(field: ScrubField, text: string): number | string {
  const trimmed = text.trim();
  if (field === 'clickToConversionSeconds') return secondsOf(trimmed);
  if (field === 'country') return trimmed.toUpperCase();
  return trimmed;
}

function conditionBody(condition: ConditionForm): ScrubCondition {
  const list = isListOperator(condition.op);
  if (condition.field === 'partnerId') {
    return { field: condition.field, op: condition.op, value: list ? condition.partners : (condition.partners[0] ?? '') };
  }
  const value = list
    ? condition.value
        .split(',')
        .filter((item) => item.trim() !== '')
        .map((item) => oneValue(condition.field, item))
    : oneValue(condition.field, condition.value);
  return { field: condition.field, op: condition.op, value };
}

/** A priority as typed: a whole number, or NaN, which the schema refuses (ruleErrors words it). */
export function priorityOf(text: string): number {
  return /^\d{1,7}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
}

/** The request the form makes, as sent (checked separately, so that errors show at their fields). */
export function ruleBody(form: RuleForm): CreateScrubRuleInput {
  return {
    name: form.name.trim(),
    priority: priorityOf(form.priority),
    conditions: form.conditions.map(conditionBody),
    action: form.action,
    reason: form.reason.trim(),
    ...(form.contractId ? { contractId: form.contractId } : {}),
  };
}

/** What `schema` (a new rule's, or a rename's) finds wrong with `body`, by the API's paths; the priority's problem in words. */
export function ruleErrors(schema: z.ZodType, body: unknown): Record<string, string> {
  const errors = schemaErrors(schema, body);
  if (errors.priority !== undefined)
    errors.priority = `a whole number from 0 to ${SCRUB_PRIORITY_MAX.toLocaleString('en-US')}; lowest first`;
  return errors;
}

/** The input that shows an error at `path`: a list's values are typed into one (`conditions[1].value[2]`). */
export function ruleFieldOf(path: string): string {
  return path.replace(/^(conditions\[\d+\]\.value)\[\d+\]$/, '$1');
}

/** A form from an existing rule: the way to change what a rule decides is a new rule (then disable the old). */
export function formFromRule(rule: ScrubRule): RuleForm {
  return {
    name: `${rule.name} (new)`,
    priority: String(rule.priority),
    action: rule.action,
    reason: rule.reason,
    contractId: rule.contractId ?? '',
    conditions: rule.conditions.map((condition) => {
      const values = Array.isArray(condition.value) ? condition.value : [condition.value];
      return condition.field === 'partnerId'
        ? { field: condition.field, op: condition.op, value: '', partners: values.map(String) }
        : { field: condition.field, op: condition.op, value: values.map(String).join(', '), partners: [] };
    }),
  };
}
