/**
 * Builds the web app once for the whole e2e project, if a source changed since the last build:
 * the journeys run in parallel, and each asking for a stale build at once would build it several
 * times over the same web/dist.
 */
import { ensureWebBuild } from '../../../web/scripts/build.ts';

export default async function setup(): Promise<void> {
  await ensureWebBuild({ quiet: true });
}
