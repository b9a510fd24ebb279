/** Whether someone signed in while the app was open, and whether the session ended meanwhile (a 401 on an ordinary request). */
import { createSlice } from '@reduxjs/toolkit';

interface SessionState {
  /** Someone signed in on this page (the sign-in answered who): the app asks nobody else. */
  signedIn: boolean;
  expired: boolean;
}

const initialState: SessionState = { signedIn: false, expired: false };

const sessionSlice = createSlice({
  name: 'session',
  initialState,
  reducers: {
    /** The server refused the cookie: it expired or was ended elsewhere. */
    sessionExpired: (state) => {
      state.expired = true;
    },
    /** Someone signed in (again). */
    signedIn: (state) => {
      state.signedIn = true;
      state.expired = false;
    },
  },
});

export const { sessionExpired, signedIn } = sessionSlice.actions;
export const sessionReducer = sessionSlice.reducer;
