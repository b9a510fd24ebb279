/**
 * What component tests need to render a screen: a fresh store with a signed-in user, a router, and
 * a stand-in for the API that answers `fetch` from a function and records every request.
 */
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Provider } from 'react-redux';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { makeStore } from '../../web/src/app/store.ts';
import { type CurrentUser, sessionApi } from '../../web/src/features/session/session-api.ts';

export const signedInUser: CurrentUser = { id: 'usr_me', email: 'me@example.com', name: 'Mia Me', role: 'finance', partyId: null };

/** A JSON answer of the stand-in API: a status and a body. */
export interface StubAnswer {
  status?: number;
  body: unknown;
}

/** Makes `fetch` answer through `answer(url)`; returns the URLs asked for, in order. */
export function stubApi(answer: (url: URL) => StubAnswer | Promise<StubAnswer>): URL[] {
  const requests: URL[] = [];
  vi.stubGlobal('fetch', async (input: Request | string) => {
    const url = new URL(typeof input === 'string' ? input : input.url, 'http://localhost');
    requests.push(url);
    const { status = 200, body } = await answer(url);
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
    });
  });
  return requests;
}

/** A request the stand-in API received: its method, URL, headers and JSON body. */
export interface SentRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

/**
 * Makes `fetch` answer each request through `answer`, or else `fallback` (a feature's reads), as
 * JSON (problem+json from 400 on) with the `headers` given for it; returns the requests sent, in order.
 */
export function stubRequests(
  answer: (request: SentRequest) => StubAnswer | undefined,
  fallback: (request: SentRequest) => StubAnswer,
  headers: (request: SentRequest) => Record<string, string> = () => ({}),
): SentRequest[] {
  const sent: SentRequest[] = [];
  vi.stubGlobal('fetch', async (input: Request) => {
    const text = await input.clone().text();
    const request: SentRequest = {
      method: input.method,
      url: new URL(input.url, 'http://localhost'),
      headers: input.headers,
      body: text === '' ? undefined : JSON.parse(text),
    };
    sent.push(request);
    const { status = 200, body } = answer(request) ?? fallback(request);
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers(request) },
    });
  });
  return sent;
}

/** Renders `ui` as `user` would see it, in a store of its own. */
export async function renderSignedIn(ui: ReactNode, user: CurrentUser = signedInUser) {
  const store = makeStore();
  await store.dispatch(sessionApi.util.upsertQueryData('me', undefined, user));
  return {
    store,
    ...render(
      <Provider store={store}>
        <MemoryRouter>{ui}</MemoryRouter>
      </Provider>,
    ),
  };
}
