/**
 * Uploads a delivery CSV to the streaming import endpoint with XMLHttpRequest rather than fetch:
 * only XHR reports upload progress in every browser. The server parses the file as it arrives and
 * answers once the whole file is written (all or nothing), so after the last byte the app shows
 * "processing" until the answer comes.
 */
import type { FieldError } from '../../common/problem.ts';

export type DeliveryKind = 'impressions' | 'conversions';

export interface ImportResult {
  batchId: string;
  kind: DeliveryKind;
  rows: number;
  created: number;
  restated: number;
  unchanged: number;
  duplicates: number;
}

export interface UploadFailure {
  status: number;
  code: string;
  detail: string;
  errors: FieldError[];
}

export interface UploadHandlers {
  onProgress: (sentBytes: number, totalBytes: number) => void;
  onSent: () => void;
}

/** Starts the upload; `promise` settles with the result or the refusal, `abort` cancels it. */
export function uploadDeliveryCsv(
  kind: DeliveryKind,
  file: Blob,
  handlers: UploadHandlers,
): { promise: Promise<ImportResult>; abort: () => void } {
  const request = new XMLHttpRequest();
  const promise = new Promise<ImportResult>((resolve, reject) => {
    request.open('POST', `/v1/${kind}/import`);
    request.setRequestHeader('content-type', 'text/csv');
    request.setRequestHeader('x-tally-csrf', '1');
    request.upload.onprogress = (event) => handlers.onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    request.upload.onload = () => handlers.onSent();
    request.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = undefined;
      }
      if (request.status === 200) resolve(body as ImportResult);
      else reject(failureOf(request.status, body));
    };
    request.onerror = () =>
      reject({
        status: 0,
        code: 'network_error',
        detail: 'The upload was interrupted. Nothing was written; try again.',
        errors: [],
      } satisfies UploadFailure);
    request.onabort = () =>
      reject({ status: 0, code: 'aborted', detail: 'The upload was cancelled. Nothing was written.', errors: [] } satisfies UploadFailure);
    request.send(file);
  });
  return { promise, abort: () => request.abort() };
}

function failureOf(status: number, body: unknown): UploadFailure {
  const problem = (typeof body === 'object' && body !== null ? body : {}) as Partial<UploadFailure>;
  return {
    status,
    code: typeof problem.code === 'string' ? problem.code : `http_${status}`,
    detail: typeof problem.detail === 'string' ? problem.detail : `The server answered ${status}.`,
    errors: Array.isArray(problem.errors) ? problem.errors : [],
  };
}

export interface RowError {
  line: number | null;
  field: string;
  message: string;
}

/** The import names bad rows as `line 4.date`: split into the line number and the field. */
export function rowErrors(errors: FieldError[]): RowError[] {
  return errors
    .map((error) => {
      const match = /^line (\d+)(?:\.(.+))?$/.exec(error.path);
      return match
        ? { line: Number(match[1]), field: match[2] ?? '(row)', message: error.message }
        : { line: null, field: error.path, message: error.message };
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** The columns each file takes: the JSON field names, dots for nested fields (docs/decisions.md). */
export const csvColumns: Record<DeliveryKind, string[]> = {
  impressions: ['contractId', 'lineItem', 'date', 'source', 'impressions', 'completedViews', 'clicks', 'partnerId'],
  conversions: [
    'id',
    'contractId',
    'lineItem',
    'partnerId',
    'eventType',
    'occurredAt',
    'touch.type',
    'touch.at',
    'value',
    'attributes.country',
    'attributes.newCustomer',
    'status',
  ],
};
