/**
 * People as the API names them: `GET /v1/people?ids=…` answers these for the user ids that other
 * answers carry (`createdBy`, `approvals[].by`, an audit entry's `actor`, …), so that a screen can
 * show a name instead of an id. Shared by the server and the web app.
 */

/** A user as another user may see them. `email` is null when the caller may not see it (a party's user reading staff). */
export interface Person {
  id: string;
  name: string;
  email: string | null;
}

/** The actor id of Tally itself (renewals, command-line imports): not a user, so never a person. */
export const systemUserId = 'system';

/** How many ids one `GET /v1/people` may ask for. */
export const peoplePerRequestMax = 100;
