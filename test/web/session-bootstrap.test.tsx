/**
 * The app's first screen: a first visit (no signed-in hint cookie) shows the sign-in without asking
 * the server who is signed in, a request that could only answer 401 and leave an error in the
 * browser's console; with the hint it asks `GET /v1/me`; signing in needs no second question.
 */
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'react-redux';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../web/src/app/App.tsx';
import { makeStore } from '../../web/src/app/store.ts';
import { hasSessionHint } from '../../web/src/features/session/session-hint.ts';

const user = { id: 'usr_1', email: 'olivia@demo.tally.dev', name: 'Olivia Ops', role: 'ops', partyId: null };

/** Answers the app's requests: a 401 for /v1/me, the sign-in for POST /v1/sessions, 404 for the rest. */
function fakeServer() {
  const requests: string[] = [];
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' },
    });
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    const request = input instanceof Request ? input : new Request(input);
    const path = new URL(request.url).pathname;
    requests.push(`${request.method} ${path}`);
    if (path === '/v1/me') return json(401, { status: 401, code: 'unauthenticated', detail: 'Sign in' });
    if (path === '/v1/sessions' && request.method === 'POST') {
      document.cookie = 'tally_signed_in=1; path=/';
      return json(201, { user, expiresAt: '2026-12-01T00:00:00.000Z' });
    }
    return json(404, { status: 404, code: 'route_not_found', detail: 'not in this test' });
  });
  return { fetch, requests };
}

function clearCookies(): void {
  for (const cookie of document.cookie.split(';')) {
    const name = cookie.split('=')[0]?.trim();
    if (name) document.cookie = `${name}=; max-age=0; path=/`;
  }
}

describe('the session bootstrap', () => {
  let server: ReturnType<typeof fakeServer>;

  beforeEach(() => {
    clearCookies();
    server = fakeServer();
    vi.stubGlobal('fetch', server.fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    clearCookies();
  });

  it('reads the hint cookie by its name only', () => {
    expect(hasSessionHint('')).toBe(false);
    expect(hasSessionHint('tally_signed_in=1')).toBe(true);
    expect(hasSessionHint('theme=dark; tally_signed_in=1')).toBe(true);
    expect(hasSessionHint('not_tally_signed_in=1')).toBe(false);
  });

  it('shows the sign-in on a first visit without asking the server anything', async () => {
    render(
      <Provider store={makeStore()}>
        <App />
      </Provider>,
    );
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    // Give a request a chance to start, should the app make one.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toEqual([]);
  });

  it('asks who is signed in when the hint says a session may exist, and signs in again when it has ended', async () => {
    document.cookie = 'tally_signed_in=1; path=/';
    render(
      <Provider store={makeStore()}>
        <App />
      </Provider>,
    );
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(server.requests).toEqual(['GET /v1/me']);
  });

  it('signs in with one request: the sign-in answers who signed in', async () => {
    const store = makeStore();
    render(
      <Provider store={store}>
        <App />
      </Provider>,
    );
    await userEvent.type(await screen.findByLabelText('Email'), user.email);
    await userEvent.type(screen.getByLabelText('Password'), 'tally-demo-password');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Sign in' })).toBeNull());
    expect(store.getState().session.signedIn).toBe(true);
    expect(server.requests[0]).toBe('POST /v1/sessions');
    expect(server.requests).not.toContain('GET /v1/me');
  });
});
