/** Whether the session ended while the app was open (a 401 on an ordinary request). */
import { createSlice } from '@reduxjs/toolkit';

interface SessionState {
  expired: boolean;
}

const initialState: SessionState = { expired: false };

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
      state.expired = false;
    },
  },
});

export const { sessionExpired, signedIn } = sessionSlice.actions;
export const sessionReducer = sessionSlice.reducer;
