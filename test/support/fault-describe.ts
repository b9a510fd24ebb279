/** `describe` variants for the fault tests. */
import { describe } from 'vitest';
import { describeStore, storeKind } from './harness.ts';

/**
 * `describe` for a suite that only means something on PostgreSQL. In the postgres project it runs
 * like describeStore (and is skipped only as describeStore skips: no server, reported loudly by the
 * global setup); in the embedded project it is listed as skipped with the reason in its name, so it
 * never counts as passed there.
 */
export function describePostgresOnly(name: string, body: () => void): void {
  if (storeKind === 'postgres') describeStore(name, body);
  else describe.skip(`${name} [embedded: not applicable, PostgreSQL only; it runs in the postgres project]`, body);
}
