/** The Redux store: RTK Query's cache of server data and the small session slice; nothing else is global. */
import { combineReducers, configureStore } from '@reduxjs/toolkit';
import { api } from './api.ts';
import { sessionReducer } from '../features/session/session-slice.ts';

const rootReducer = combineReducers({ [api.reducerPath]: api.reducer, session: sessionReducer });

/** A new store: one for the app, a fresh one per component test. */
export function makeStore() {
  return configureStore({ reducer: rootReducer, middleware: (getDefault) => getDefault().concat(api.middleware) });
}

export type AppStore = ReturnType<typeof makeStore>;
export type RootState = ReturnType<typeof rootReducer>;
export type AppDispatch = AppStore['dispatch'];
