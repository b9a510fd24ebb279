/** Who is calling: resolved from an API key or a session, or the system itself. */
import type { Role } from '../wire/roles.ts';

export interface Actor {
  userId: string;
  role: Role;
  /** Set for the party role: the only party whose objects this actor may see. */
  partyId: string | null;
}

export const systemActor: Actor = { userId: 'system', role: 'admin', partyId: null };
