/**
 * The API beside the browser, for what a journey sets up without clicking through it (a contract
 * approved, delivery loaded, a billing run): each demo user's token, as `tally serve --demo`
 * prints it once at start, and a JSON call that fails the test with the server's answer.
 */
import type { RunningServer } from './server.ts';

export type DemoRole = 'admin' | 'finance' | 'ops' | 'viewer';

/** The token the demo seed printed for the demo user of `role`. */
export function demoToken(server: RunningServer, role: DemoRole): string {
  const match = new RegExp(`^\\s*${role}\\s+\\S+\\s+token (\\S+)`, 'm').exec(server.output());
  if (!match?.[1]) throw new Error(`the server printed no demo token for ${role}:\n${server.output()}`);
  return match[1];
}

/** Calls the API as `role` and answers the JSON body; anything but `expected` (default 2xx) throws with the answer. */
export async function callAs<T>(
  server: RunningServer,
  role: DemoRole,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
  expected?: number,
): Promise<T> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${demoToken(server, role)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const ok = expected === undefined ? response.ok : response.status === expected;
  if (!ok) throw new Error(`${method} ${path} as ${role}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}
