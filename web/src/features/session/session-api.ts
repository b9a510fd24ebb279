/** Who is signed in, sign-in and sign-out. */
import { api } from '../../app/api.ts';
import type { Role } from '../../../../src/wire/roles.ts';
import { signedIn } from './session-slice.ts';

export type { Role };

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  partyId: string | null;
}

export const sessionApi = api.injectEndpoints({
  endpoints: (build) => ({
    me: build.query<CurrentUser, void>({ query: () => '/me', providesTags: ['Me'] }),
    signIn: build.mutation<{ user: CurrentUser; expiresAt: string }, { email: string; password: string }>({
      query: (body) => ({ url: '/sessions', method: 'POST', body }),
      async onQueryStarted(_input, { dispatch, queryFulfilled }) {
        const { data } = await queryFulfilled.catch(() => ({ data: undefined }));
        if (!data) return;
        // Whatever another user left in the cache must not be shown to this one.
        dispatch(api.util.resetApiState());
        dispatch(sessionApi.util.upsertQueryData('me', undefined, data.user));
        dispatch(signedIn());
      },
    }),
    signOut: build.mutation<null, void>({ query: () => ({ url: '/sessions/current', method: 'DELETE' }) }),
  }),
});

export const { useMeQuery, useSignInMutation, useSignOutMutation } = sessionApi;
