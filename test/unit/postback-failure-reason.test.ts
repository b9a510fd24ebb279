/**
 * Why /metrics counts a postback as refused (docs/affiliate/postbacks.md, "Rate limit and
 * metrics"): the reason, from the answer's status and problem code.
 */
import { expect, it } from 'vitest';
import { postbackFailureReason } from '../../src/modules/postbacks/postbacks.routes.ts';

it.each([
  [401, 'bad_signature', 'bad_signature'],
  [404, 'unknown_postback_key', 'unknown_key'],
  [404, 'route_not_found', 'unknown_key'],
  [403, 'postback_source_disabled', 'disabled'],
  [409, 'conversion_conflict', 'conflict'],
  [429, 'rate_limited', 'rate_limited'],
  [503, 'postback_queue_full', 'busy'],
  // A deadlock after the transaction's retries: retry shortly, like a full queue; no sender's mistake.
  [409, 'transaction_conflict', 'busy'],
  [422, 'malformed_postback', 'malformed'],
  [422, 'unknown_click', 'malformed'],
  [503, 'store_unavailable', 'error'],
  [500, 'internal_error', 'error'],
])('%i %s counts as %s', (status, code, reason) => {
  expect(postbackFailureReason(status, code)).toBe(reason);
});
