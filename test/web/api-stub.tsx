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
