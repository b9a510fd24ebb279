/** Typed Redux hooks and the signed-in user's permissions. */
import { useDispatch, useSelector } from 'react-redux';
import { roleMay, type Permission } from '../../../src/wire/roles.ts';
import { useMeQuery, type CurrentUser } from '../features/session/session-api.ts';
import type { AppDispatch, RootState } from './store.ts';

export const useAppDispatch = useDispatch.withTypes<AppDispatch>();
export const useAppSelector = useSelector.withTypes<RootState>();

export type { Permission };

/** The signed-in user. Screens render only inside the signed-in shell, so the user is known there. */
export function useCurrentUser(): CurrentUser {
  const { data } = useMeQuery();
  if (!data) throw new Error('useCurrentUser used outside the signed-in shell');
  return data;
}

/**
 * Whether the signed-in user's role holds a permission: the server's own table (roles.ts), so the
 * app shows exactly the actions the API would accept. The server still checks every request.
 */
export function useCan(permission: Permission): boolean {
  return roleMay(useCurrentUser().role, permission);
}
