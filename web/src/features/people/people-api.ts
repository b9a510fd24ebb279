/**
 * People by id (`GET /v1/people?ids=…`), one id per cache entry but one request for many: each
 * `getPerson` waits a moment for the others that the same screen asks for, and the batch goes out
 * as one request per 100 ids. A list of 50 audit entries by 4 people costs one request, and a
 * person seen once is not asked for again while the app keeps the entry.
 */
import type { FetchArgs, FetchBaseQueryError } from '@reduxjs/toolkit/query';
import { api } from '../../app/api.ts';
import { peoplePerRequestMax, type Person } from '../../../../src/wire/people.ts';

export type { Person };

type Answer = { data: Person | null } | { error: FetchBaseQueryError };
type BaseQueryResult = { data?: unknown; error?: FetchBaseQueryError };
type BaseQuery = (args: string | FetchArgs) => PromiseLike<BaseQueryResult> | BaseQueryResult;

/** How long a batch waits for more ids: the components of one screen ask within the same few milliseconds. */
const batchDelayMs = 5;

interface Batch {
  baseQuery: BaseQuery;
  waiting: Map<string, ((answer: Answer) => void)[]>;
}

let batch: Batch | undefined;

function lookUp(id: string, baseQuery: BaseQuery): Promise<Answer> {
  return new Promise((resolve) => {
    if (!batch) {
      batch = { baseQuery, waiting: new Map() };
      setTimeout(sendBatch, batchDelayMs);
    }
    const waiters = batch.waiting.get(id) ?? [];
    waiters.push(resolve);
    batch.waiting.set(id, waiters);
  });
}

async function sendBatch(): Promise<void> {
  const sent = batch;
  batch = undefined;
  if (!sent) return;
  const ids = [...sent.waiting.keys()];
  const chunks: string[][] = [];
  for (let start = 0; start < ids.length; start += peoplePerRequestMax) chunks.push(ids.slice(start, start + peoplePerRequestMax));
  await Promise.all(
    chunks.map(async (chunk) => {
      const result = await sent.baseQuery({ url: '/people', params: { ids: chunk.join(',') } });
      const found = new Map(((result.data as { data?: Person[] } | undefined)?.data ?? []).map((person) => [person.id, person]));
      for (const id of chunk) {
        const answer: Answer = result.error ? { error: result.error } : { data: found.get(id) ?? null };
        for (const resolve of sent.waiting.get(id) ?? []) resolve(answer);
      }
    }),
  );
}

export const peopleApi = api.injectEndpoints({
  endpoints: (build) => ({
    /** The person behind a user id, or null when there is none (or none the caller may see). */
    getPerson: build.query<Person | null, string>({
      queryFn: (id, _api, _extra, baseQuery) => lookUp(id, baseQuery),
      // Names hardly change; a screen that lists the same people again should not ask again.
      keepUnusedDataFor: 600,
    }),
  }),
});

export const { useGetPersonQuery } = peopleApi;
