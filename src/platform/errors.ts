/** Domain errors: a closed set of stable codes, each with its HTTP status, mapped to problem+json at the edge. */

export const errorStatuses = {
  validation_failed: 400,
  unknown_field: 400,
  invalid_json: 400,
  invalid_cursor: 400,
  unauthenticated: 401,
  forbidden: 403,
  maker_checker: 403,
  not_found: 404,
  party_not_found: 404,
  unknown_party: 422,
  unknown_contract: 422,
  unknown_line_item: 422,
  unknown_partner: 422,
  unknown_conversion: 422,
  date_outside_contract: 422,
  no_goal: 422,
  no_shortfall: 422,
  contract_not_billable: 422,
  not_a_cpa_line_item: 422,
  duplicate_record: 422,
  batch_too_large: 413,
  conversion_conflict: 409,
  conversion_transition_invalid: 409,
  unknown_click: 422,
  click_mismatch: 422,
  touch_after_conversion: 422,
  click_conflict: 409,
  csv_invalid: 422,
  agency_not_found: 422,
  contract_not_found: 404,
  version_not_found: 404,
  user_not_found: 404,
  email_taken: 409,
  external_ref_taken: 409,
  billing_entity_not_found: 404,
  unknown_billing_entity: 422,
  number_prefix_taken: 409,
  party_has_documents: 409,
  base_currency_in_use: 409,
  fx_rate_missing: 422,
  intake_unavailable: 503,
  fx_rate_exists: 409,
  revaluation_already_posted: 409,
  tax_code_taken: 409,
  tax_rate_not_found: 404,
  credit_currency_mismatch: 422,
  period_not_ended: 422,
  accruals_already_posted: 409,
  version_not_draft: 409,
  version_not_pending: 409,
  version_not_editable: 409,
  version_not_proposed: 409,
  version_in_progress: 409,
  contract_not_approved: 409,
  contract_terminated: 409,
  already_approved_by_you: 409,
  partner_agreement_overlap: 409,
  notice_period_passed: 409,
  notice_already_given: 409,
  renewal_not_configured: 409,
  precondition_failed: 412,
  body_too_large: 413,
  unsupported_media_type: 415,
  invalid_terms: 422,
  side_mismatch: 422,
  party_role_invalid: 422,
  currency_change: 422,
  start_date_change: 422,
  effective_date_out_of_range: 422,
  idempotency_key_reused: 422,
  idempotency_key_in_progress: 409,
  billing_run_in_progress: 409,
  billing_run_not_found: 404,
  document_not_found: 404,
  document_not_draft: 409,
  document_needs_review: 409,
  document_not_finalized: 409,
  document_void: 409,
  document_has_settlements: 409,
  document_adjusted: 409,
  payment_exceeds_due: 422,
  credit_exceeds_remaining: 422,
  nothing_due: 409,
  wrong_document_kind: 422,
  rate_limited: 429,
  internal_error: 500,
  store_unavailable: 503,
  webhook_endpoint_not_found: 404,
  webhook_delivery_not_found: 404,
  webhook_delivery_not_failed: 409,
  webhook_endpoint_disabled: 409,
  webhook_endpoint_limit: 409,
  private_target: 422,
  partner_postback_not_found: 404,
  partner_postback_limit: 409,
  partner_postback_disabled: 409,
  csrf_header_missing: 403,
  product_not_found: 404,
  product_key_taken: 409,
  rate_card_not_found: 404,
  unknown_product: 422,
  unknown_rate_card: 422,
  unknown_premium: 422,
  rate_card_not_in_force: 422,
  rate_card_currency_mismatch: 422,
  rate_card_entry_missing: 422,
  below_floor_rate: 422,
  scrub_rule_not_found: 404,
  scrub_rule_limit: 409,
  postback_source_not_found: 404,
  unknown_postback_key: 404,
  bad_signature: 401,
  malformed_postback: 422,
  postback_source_disabled: 403,
  postback_queue_full: 503,
} as const;

export type ErrorCode = keyof typeof errorStatuses;

/** One offending field: a dotted path (`terms.lineItems[1].pricing.ratePerMille`) and what is wrong with it. */
export interface FieldError {
  path: string;
  message: string;
}

/** An expected failure of a use case; the HTTP layer turns it into problem+json with the code's status. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldError[] | undefined;

  constructor(code: ErrorCode, detail: string, errors?: FieldError[]) {
    super(detail);
    this.code = code;
    this.status = errorStatuses[code];
    this.errors = errors;
  }
}

/** Field paths are named as the web app's forms name them (src/wire). */
export { formatPath } from '../wire/field-paths.ts';
