/**
 * The root: until the user is known, a loading screen; unsigned, the sign-in; signed in, the routed
 * app. Who is signed in is asked only when the browser holds the signed-in hint (a first visit
 * shows the sign-in without a request that could only fail) or someone just signed in here.
 */
import { useState } from 'react';
import { RouterProvider } from 'react-router';
import { ErrorState, Loading } from '../common/ui/states.tsx';
import { SignInPage } from '../features/session/SignInPage.tsx';
import { useMeQuery } from '../features/session/session-api.ts';
import { hasSessionHint } from '../features/session/session-hint.ts';
import { useAppSelector } from './hooks.ts';
import { createRouter } from './router.tsx';

export function App() {
  const signedInHere = useAppSelector((state) => state.session.signedIn);
  const expired = useAppSelector((state) => state.session.expired);
  const mayBeSignedIn = signedInHere || hasSessionHint();
  const me = useMeQuery(undefined, { skip: !mayBeSignedIn });
  // One router for the app's life; created lazily so that tests can render without a browser URL.
  const [router] = useState(createRouter);
  if (!mayBeSignedIn) return <SignInPage expired={expired} />;
  if (me.isLoading) return <Loading label="Starting Tally…" />;
  const unauthenticated = expired || (me.error !== undefined && 'status' in me.error && me.error.status === 401);
  if (unauthenticated) return <SignInPage expired={expired} />;
  if (me.error || !me.data) return <ErrorState error={me.error} onRetry={me.refetch} />;
  return <RouterProvider router={router} />;
}
