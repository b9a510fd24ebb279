/** Maps every failure to RFC 9457 problem+json with a stable `code`; a 5xx is a bug or an outage. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isRetryableTransactionError } from '../platform/context.ts';
import { AppError, type ErrorCode, errorStatuses, type FieldError, formatPath } from '../platform/errors.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode | 'append_only' | 'route_not_found' | 'transaction_conflict';
  errors?: FieldError[];
  requestId?: string;
}

/** The reason phrase of each status a problem can have. */
export const problemTitles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Sends a problem document. */
export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: Problem['code'],
  detail: string,
  errors?: FieldError[],
): FastifyReply {
  const problem: Problem = {
    type: `https://tally.dev/problems/${code.replaceAll('_', '-')}`,
    title: problemTitles[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
    requestId: reply.request.id,
  };
  // RFC 9110 §15.5.2: a 401 names the scheme that would work, which for the API's credentials is
  // Bearer. A postback's 401 (bad_signature) names none: its credential is the `sig` of its query,
  // and a Bearer challenge would send its sender looking for a token that the route ignores.
  if (code === 'unauthenticated') reply.header('www-authenticate', 'Bearer realm="tally"');
  return reply.code(status).type('application/problem+json').send(problem);
}

// Errors that mean the database cannot be reached right now (connection refused or lost, server
// shutting down or starting up): the request can be retried, so they answer 503.
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);

function isStoreUnavailable(error: unknown): boolean {
  const candidate = error as { code?: string; message?: string };
  if (candidate.code && unavailableCodes.has(candidate.code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(candidate.message ?? '');
}

function validationErrors(error: FastifyError & { validationContext?: string }): FieldError[] {
  const prefix = error.validationContext === 'body' || error.validationContext === undefined ? [] : [error.validationContext];
  return (error.validation ?? []).flatMap((issue) => {
    const segments: PropertyKey[] = [
      ...prefix,
      ...issue.instancePath
        .split('/')
        .filter((segment) => segment !== '')
        .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment)),
    ];
    const keys = (issue.params as { keys?: string[] }).keys;
    if (issue.keyword === 'unrecognized_keys' && keys) {
      return keys.map((key) => ({ path: formatPath([...segments, key]), message: 'unknown field' }));
    }
    return [{ path: formatPath(segments) || '(body)', message: issue.message ?? 'invalid' }];
  });
}

/** The Fastify error handler: domain errors, validation, framework errors, store outages, bugs. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) return sendProblem(reply, error.status, error.code, error.message, error.errors);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = validationErrors(error);
    const unknownOnly = errors.every((item) => item.message === 'unknown field');
    const first = errors[0];
    const detail = first ? `${first.path}: ${first.message}` : 'The request is invalid';
    return sendProblem(reply, 400, unknownOnly ? 'unknown_field' : 'validation_failed', detail, errors);
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
    if (process.env.TEST_LOG) console.error(JSON.stringify(error.cause.issues).slice(0, 1500));
    return sendProblem(reply, 500, 'internal_error', 'The server built an invalid response; this is a bug');
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      // The route's own limit: batch routes accept more than the app's default.
      return sendProblem(
        reply,
        413,
        'body_too_large',
        `The body is larger than this route's limit of ${request.routeOptions.bodyLimit} bytes`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendProblem(
        reply,
        415,
        'unsupported_media_type',
        `Content-Type ${request.headers['content-type'] ?? '(none)'} is not accepted here; send application/json`,
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendProblem(reply, 400, 'invalid_json', 'The body is not valid JSON');
  }
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
    return sendProblem(reply, 400, 'invalid_json', `The body is not valid JSON: ${error.message}`);
  }
  // PostgreSQL text cannot hold U+0000 (22021; in jsonb 22P05): the request is bad, not the server.
  if (error.code === '22021' || error.code === '22P05') {
    return sendProblem(reply, 400, 'validation_failed', 'Text must not contain the NUL character (U+0000)');
  }
  // JSON may carry a lone UTF-16 surrogate ("\ud800"), which is no character: PostgreSQL's jsonb
  // refuses it (22P02, when the audit entry is written), and the transaction changed nothing.
  if (error.code === '22P02' && /surrogate/i.test((error as { detail?: string }).detail ?? '')) {
    return sendProblem(
      reply,
      400,
      'validation_failed',
      'Text must be valid Unicode: a lone surrogate (\\ud800 to \\udfff) is not a character',
    );
  }
  if (/^append_only:/.test(error.message)) {
    return sendProblem(reply, 409, 'append_only', error.message.replace(/^append_only: /, ''));
  }
  // Still a serialization failure or deadlock after the transaction helper's retries: the request
  // changed nothing and may simply be sent again.
  if (isRetryableTransactionError(error)) {
    request.log.warn({ err: error }, 'transaction conflict after retries');
    reply.header('retry-after', '1');
    return sendProblem(
      reply,
      409,
      'transaction_conflict',
      'Other requests changed the same records at the same moment; nothing was changed, send the request again',
    );
  }
  if (isStoreUnavailable(error)) {
    request.log.warn({ err: error }, 'store unavailable');
    return sendProblem(reply, 503, 'store_unavailable', 'The database cannot be reached right now; retry shortly');
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return sendProblem(reply, error.statusCode, 'validation_failed', error.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, 500, 'internal_error', 'Something went wrong on our side; the request id identifies it in the logs');
}

export { errorStatuses };

/**
 * Refusals that Fastify's router makes before any route runs (a path segment over the router's
 * 100-character limit, a malformed percent-encoding), answered as problem documents like the rest.
 */
export function handleFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    sendProblem(reply, 414, 'validation_failed', 'A path segment is longer than 100 characters: no id is that long');
  } else {
    sendProblem(reply, 400, 'validation_failed', 'The URL is not valid: a percent-encoded path segment does not decode');
  }
}
